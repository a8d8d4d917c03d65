// Plans and journal: the plan under review, its live progress and result, and the journal with Undo.
import type { PlansSlice, Slice } from './types';

export const createPlansSlice: Slice<PlansSlice> = (api) => (set, get) => ({
  goals: [],
  plan: null,
  planReviewId: null,
  planError: null,
  planBusy: null,
  progress: [],
  lastApply: null,
  journal: [],
  undoing: null,
  loadGoals: async () => {
    const result = await api.invoke('plan.goals');
    if (result.ok) set({ goals: result.value });
    else set({ planError: result.error });
  },
  makePlan: async (goal, options) => {
    set({ planBusy: 'making', planError: null, plan: null, planReviewId: null, lastApply: null, progress: [] });
    const result = await api.invoke('plan.make', goal, options);
    if (result.ok) set({ plan: result.value.plan, planReviewId: result.value.id, planBusy: null });
    else set({ planError: result.error, planBusy: null });
  },
  applyPlan: async () => {
    // Only the review's id goes back: the main process keeps the plan, root computes it again.
    const id = get().planReviewId;
    if (!id || get().planBusy) return;
    set({ planBusy: 'applying', planError: null, progress: [], lastApply: null });
    const result = await api.invoke('plan.apply', id);
    if (result.ok) {
      set({ lastApply: result.value, planBusy: null });
      await Promise.all([get().loadJournal(), get().rescan()]);
    } else set({ planError: result.error, planBusy: null });
  },
  discardPlan: () => set({ plan: null, planReviewId: null, planError: null, lastApply: null, progress: [] }),
  loadJournal: async () => {
    const result = await api.invoke('journal.list');
    if (result.ok) set({ journal: result.value });
    else set({ planError: result.error });
  },
  undo: async (journalId) => {
    set({ undoing: journalId, planError: null });
    const result = await api.invoke('journal.undo', journalId);
    set({ undoing: null });
    if (!result.ok) set({ planError: result.error });
    await Promise.all([get().loadJournal(), get().rescan()]);
  },
  appendProgress: (line) => set((s) => ({ progress: [...s.progress, line].slice(-500) })),
});
