// Host report slice: the doctor report, always freshly read from the machine (never cached across runs).
import type { HostSlice, Slice } from './types';

export const createHostSlice: Slice<HostSlice> = (api) => (set) => ({
  report: null,
  scanning: false,
  hostError: null,
  rescan: async () => {
    set({ scanning: true });
    const result = await api.invoke('host.rescan');
    if (result.ok) set({ report: result.value, hostError: null, scanning: false });
    else set({ hostError: result.error, scanning: false });
  },
});
