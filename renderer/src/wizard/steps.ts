// The wizard's steps and where to resume: computed from the freshly scanned machine, never remembered.
import type { DoctorReport, GpuReport } from '../../../shared/analyze/report';
import type { JournalEntry, VmSummary } from '../../../shared/ipc/contract';
import type { WizardStepId } from '../store/types';

export const stepTitles: Record<WizardStepId, string> = {
  check: 'Check this machine',
  gpu: 'Choose the GPU',
  boot: 'Boot setup',
  vm: 'The VM',
  'looking-glass': 'Looking Glass',
  done: 'Done',
};

export const wizardSteps = (report: DoctorReport | null): WizardStepId[] =>
  report?.recommendation.mode === 'dual-gpu'
    ? ['check', 'gpu', 'boot', 'vm', 'looking-glass', 'done']
    : ['check', 'gpu', 'boot', 'vm', 'done'];

/** The GPU the wizard works with: the person's pick, else the doctor's recommendation. */
export const effectiveGpu = (report: DoctorReport | null, selected: string | null): GpuReport | null => {
  if (!report) return null;
  const address = selected ?? report.recommendation.gpu;
  return report.gpus.find((g) => g.address === address) ?? null;
};

/**
 * Where the machine really is: IOMMU off means boot setup is not done (or waits for a reboot, when the
 * journal holds an applied entry); IOMMU on with no VM that has a GPU means the VM step (a VM made in
 * virt-manager without the GPU is not set up yet); otherwise setup is done.
 */
export const resumeStep = (report: DoctorReport, vms: VmSummary[], journal: JournalEntry[]): WizardStepId => {
  if (report.gpus.length === 0 || !report.cpu.virtualization) return 'check';
  if (report.iommu.state !== 'on') return journal.some((j) => j.state === 'applied') ? 'boot' : 'check';
  if (!vms.some((v) => v.gpu !== null)) return 'vm';
  return 'done';
};

/** Which registered goals belong to which wizard step, by the goal's name. */
export const goalsForStep = (
  step: WizardStepId,
  goals: { name: string; summary: string }[],
  mode: DoctorReport['recommendation']['mode'] = 'dual-gpu',
) => {
  const patterns: Partial<Record<WizardStepId, RegExp>> = {
    boot: /^(iommu|vfio|initramfs|kernel|boot|cmdline)/,
    vm: /^(vm|hook|handoff)/,
    'looking-glass': /^(lg|looking)/,
  };
  const pattern = patterns[step];
  // Binding at boot takes the GPU away from the host for good: only when the host keeps another GPU.
  return pattern ? goals.filter((g) => pattern.test(g.name) && (mode === 'dual-gpu' || g.name !== 'vfio-early')) : [];
};
