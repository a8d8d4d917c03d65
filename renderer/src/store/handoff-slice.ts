// Handoff logs per VM, as read from the JSON-lines log plus live events appended while a handoff runs.
import type { HandoffSlice, Slice } from './types';

export const createHandoffSlice: Slice<HandoffSlice> = (api) => (set) => ({
  handoffLogs: {},
  loadHandoffLog: async (vm) => {
    const result = await api.invoke('handoff.log', vm);
    if (result.ok) set((s) => ({ handoffLogs: { ...s.handoffLogs, [vm]: result.value } }));
  },
  appendHandoffEvent: (event) =>
    set((s) => ({ handoffLogs: { ...s.handoffLogs, [event.vm]: [...(s.handoffLogs[event.vm] ?? []), event] } })),
});
