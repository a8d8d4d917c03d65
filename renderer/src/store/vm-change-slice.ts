// VM changes made from the wizard: the change under review (computed by main from the person's choices),
// applying it, and what the last apply did (where the old XML went, so Undo can be offered).
import type { Slice, VmChangeSlice } from './types';

export const createVmChangeSlice: Slice<VmChangeSlice> = (api) => (set, get) => ({
  vmReview: null,
  vmChangeBusy: null,
  vmChangeError: null,
  vmChangeDone: null,
  vmHistory: [],
  loadVmHistory: async () => {
    const result = await api.invoke('vm.history');
    if (result.ok) set({ vmHistory: result.value });
    else set({ vmChangeError: result.error });
  },
  reviewVmChange: async (request) => {
    set({ vmChangeBusy: 'reviewing', vmChangeError: null, vmReview: null, vmChangeDone: null });
    const result = await api.invoke('vm.review', request);
    if (result.ok) set({ vmReview: result.value, vmChangeBusy: null });
    else set({ vmChangeError: result.error, vmChangeBusy: null });
  },
  applyVmChange: async () => {
    const review = get().vmReview;
    if (!review || review.unchanged || get().vmChangeBusy) return;
    set({ vmChangeBusy: 'applying', vmChangeError: null });
    const result = await api.invoke('vm.apply', review.id);
    if (result.ok) set({ vmChangeDone: { review, outcome: result.value }, vmChangeBusy: null });
    else set({ vmChangeError: result.error, vmChangeBusy: null });
    await Promise.all([get().loadVms(), get().loadVmHistory()]);
  },
  discardVmChange: () => set({ vmReview: null, vmChangeError: null, vmChangeDone: null }),
});
