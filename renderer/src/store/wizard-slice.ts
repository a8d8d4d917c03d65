// Wizard progress: which step is shown and the GPU the person picked. Where the machine "is" comes from
// the report (see wizard/resume.ts), not from here.
import type { Slice, WizardSlice } from './types';

export const createWizardSlice: Slice<WizardSlice> = () => (set) => ({
  wizardStep: null,
  selectedGpu: null,
  goToStep: (step) => set({ wizardStep: step }),
  selectGpu: (address) => set({ selectedGpu: address }),
});
