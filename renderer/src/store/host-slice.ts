// Host report slice: the doctor report, always freshly read from the machine (never cached across runs),
// and the input devices a new VM can be given.
import type { HostSlice, Slice } from './types';

export const createHostSlice: Slice<HostSlice> = (api) => (set) => ({
  pciClasses: null,
  loadPciClasses: async () => {
    const result = await api.invoke('host.scan');
    if (result.ok) set({ pciClasses: Object.fromEntries(result.value.pci.map((d) => [d.address, d.classCode])) });
  },
  inputDevices: null,
  loadInputDevices: async () => {
    const result = await api.invoke('host.input');
    // Unreadable: an empty list; the form then says nothing was found and how to plug devices in.
    set({ inputDevices: result.ok ? result.value : { usb: [], evdev: [] } });
  },
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
