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
  lastUndo: null,
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
    const entry = get().journal.find((j) => j.id === journalId);
    set({ undoing: journalId, planError: null, lastUndo: null });
    const result = await api.invoke('journal.undo', journalId);
    set({ undoing: null });
    const title = entry?.title ?? journalId;
    if (!result.ok) set({ planError: result.error, lastUndo: { title, ok: false, message: result.error.message } });
    else {
      const failed = result.value.steps.filter((s) => s.status === 'failed');
      const files = entry?.files.length ?? 0;
      set({
        lastUndo: failed.length
          ? { title, ok: false, message: failed.map((s) => s.message).join(' ') }
          : { title, ok: true, message: `${files} ${files === 1 ? 'file is' : 'files are'} back as they were.` },
      });
    }
    await Promise.all([get().loadJournal(), get().rescan()]);
  },
  restartState: null,
  restartComputer: async () => {
    set({ restartState: { busy: true, error: null } });
    const result = await api.invoke('app.restart');
    set({ restartState: { busy: false, error: result.ok ? null : result.error } });
  },
  appendProgress: (line) => set((s) => ({ progress: [...s.progress, line].slice(-500) })),
});
