// VMs: the list from libvirt, per-VM preflight results and which VM has an action in flight.
import type { Slice, VmsSlice } from './types';

export const createVmsSlice: Slice<VmsSlice> = (api) => (set, get) => {
  const busy = (name: string, state: VmsSlice['vmBusy'][string]) =>
    set((s) => ({ vmBusy: { ...s.vmBusy, [name]: state } }));
  return {
    vms: [],
    vmsLoaded: false,
    vmError: null,
    preflight: {},
    vmBusy: {},
    loadVms: async () => {
      const result = await api.invoke('vm.list');
      if (result.ok) set({ vms: result.value, vmsLoaded: true, vmError: null });
      else set({ vmError: result.error, vmsLoaded: true });
    },
    checkVm: async (name) => {
      busy(name, 'checking');
      // An older result never stands in for this one (Launch decides from it).
      set((s) => ({ preflight: Object.fromEntries(Object.entries(s.preflight).filter(([vm]) => vm !== name)) }));
      const result = await api.invoke('vm.check', name);
      busy(name, undefined);
      if (result.ok) set((s) => ({ preflight: { ...s.preflight, [name]: result.value } }));
      else set({ vmError: result.error });
      return result.ok ? result.value : null;
    },
    launchVm: async (name) => {
      // The same checks as `gpu-ferry vm check` / `vm start`, every time: a failing one blocks (its fix is
      // shown), a warning or a single-GPU handoff asks first.
      set({ vmError: null });
      const items = await get().checkVm(name);
      if (items === null) return 'error';
      if (items.some((i) => i.status === 'fail')) return 'blocked';
      const vm = get().vms.find((v) => v.name === name);
      if (items.some((i) => i.status === 'warn') || vm?.mode === 'single-gpu') return 'ask';
      return (await get().startVm(name)) ? 'started' : 'error';
    },
    startVm: async (name) => {
      busy(name, 'starting');
      set({ vmError: null });
      const result = await api.invoke('vm.start', name);
      busy(name, undefined);
      if (result.ok) get().upsertVm(result.value);
      else set({ vmError: result.error });
      await get().loadHandoffLog(name);
      return result.ok;
    },
    stopVm: async (name, force) => {
      busy(name, 'stopping');
      set({ vmError: null });
      const result = await api.invoke('vm.stop', name, { force });
      busy(name, undefined);
      if (result.ok) get().upsertVm(result.value);
      else set({ vmError: result.error });
      await get().loadHandoffLog(name);
    },
    upsertVm: (vm) =>
      set((s) => ({
        vms: s.vms.some((v) => v.name === vm.name) ? s.vms.map((v) => (v.name === vm.name ? vm : v)) : [...s.vms, vm],
      })),
    lgStatus: {},
    loadLgStatus: async (name) => {
      const result = await api.invoke('lg.status', name);
      if (result.ok) set((s) => ({ lgStatus: { ...s.lgStatus, [name]: result.value } }));
    },
    launchLookingGlass: async (name) => {
      const result = await api.invoke('lg.launch', name);
      if (!result.ok) set({ vmError: result.error });
    },
  };
};
