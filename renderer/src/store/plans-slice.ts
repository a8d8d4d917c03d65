// Plans and journal: the plan under review, its live progress and result, and the journal with Undo.
import type { ArgsOf } from '../../../shared/ipc/contract';
import type { PlansSlice, Slice } from './types';

export const createPlansSlice: Slice<PlansSlice> = (api) => (set, get) => ({
  goals: [],
  plan: null,
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
    set({ planBusy: 'making', planError: null, plan: null, lastApply: null, progress: [] });
    const result = await api.invoke('plan.make', goal, options);
    if (result.ok) set({ plan: result.value, planBusy: null });
    else set({ planError: result.error, planBusy: null });
  },
  applyPlan: async () => {
    const plan = get().plan;
    if (!plan || get().planBusy) return;
    set({ planBusy: 'applying', planError: null, progress: [], lastApply: null });
    const result = await api.invoke('plan.apply', plan as unknown as ArgsOf<'plan.apply'>[0]);
    if (result.ok) {
      set({ lastApply: result.value, planBusy: null });
      await Promise.all([get().loadJournal(), get().rescan()]);
    } else set({ planError: result.error, planBusy: null });
  },
  discardPlan: () => set({ plan: null, planError: null, lastApply: null, progress: [] }),
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
