// The wizard's steps and where to resume: computed from the freshly scanned machine, never remembered.
import type { DoctorReport, GpuReport } from '../../../shared/analyze/report';
import type { JournalEntry, VmSummary } from '../../../shared/ipc/contract';
import type { WizardStepId } from '../store/types';

export const stepTitles: Record<WizardStepId, string> = {
  welcome: 'Welcome',
  check: 'Check this machine',
  gpu: 'Choose the GPU',
  boot: 'Boot setup',
  vm: 'The VM',
  'looking-glass': 'Looking Glass',
  done: 'Done',
};

export const wizardSteps = (report: DoctorReport | null): WizardStepId[] =>
  report?.recommendation.mode === 'dual-gpu'
    ? ['welcome', 'check', 'gpu', 'boot', 'vm', 'looking-glass', 'done']
    : ['welcome', 'check', 'gpu', 'boot', 'vm', 'done'];

/** The GPU the wizard works with: the person's pick, else the doctor's recommendation. */
export const effectiveGpu = (report: DoctorReport | null, selected: string | null): GpuReport | null => {
  if (!report) return null;
  const address = selected ?? report.recommendation.gpu;
  return report.gpus.find((g) => g.address === address) ?? null;
};

/** Checks only the person (or their firmware) can fix, before any later step can help. */
const blockingCheck = (report: DoctorReport) => report.checks.some((c) => c.status === 'fail' && !c.id.startsWith('iommu'));

/**
 * Where the machine really is: a failing check (no GPU, no virtualization, no libvirt, the IOMMU off in
 * the firmware) is the check step; the IOMMU off in the kernel is boot setup (or waits for a reboot); a
 * GPU whose IOMMU group is shared is the GPU step; no VM with a GPU is the VM step; otherwise done. On a
 * first run (nothing done through GPU Ferry yet) the welcome comes first.
 */
export const resumeStep = (report: DoctorReport, vms: VmSummary[], journal: JournalEntry[], selected: string | null = null): WizardStepId => {
  const where = machineStep(report, vms, selected);
  const firstRun = journal.length === 0 && !vms.some((v) => v.gpu !== null);
  return firstRun && where !== 'done' ? 'welcome' : where;
};

const machineStep = (report: DoctorReport, vms: VmSummary[], selected: string | null): WizardStepId => {
  if (report.gpus.length === 0 || !report.cpu.virtualization || blockingCheck(report)) return 'check';
  if (report.iommu.state === 'off-in-firmware' || report.iommu.state === 'unknown') return 'check';
  if (report.iommu.state !== 'on') return 'boot'; // the kernel half (or the reboot it waits for); groups come after
  if (effectiveGpu(report, selected)?.isolation === 'shared') return 'gpu';
  if (!vms.some((v) => v.gpu !== null)) return 'vm';
  return 'done';
};

export type StepState = 'done' | 'todo' | 'none';

/** Each step's state from the machine as scanned now; a step is never drawn as done because it was visited. */
export const stepState = (step: WizardStepId, report: DoctorReport | null, vms: VmSummary[], selected: string | null): StepState => {
  if (!report || step === 'welcome' || step === 'done') return 'none';
  const gpu = effectiveGpu(report, selected);
  const done: Record<Exclude<WizardStepId, 'welcome' | 'done'>, boolean> = {
    check: !report.checks.some((c) => c.status === 'fail'),
    gpu: gpu !== null && gpu.isolation !== 'shared',
    boot: report.iommu.state === 'on',
    vm: vms.some((v) => v.gpu !== null && (gpu === null || v.gpu === gpu.address || gpu.functions.includes(v.gpu))),
    'looking-glass': report.checks.some((c) => c.id === 'looking-glass' && c.status === 'pass'),
  };
  return done[step] ? 'done' : 'todo';
};

/** Which registered goals belong to which wizard step, by the goal's name. */
export const goalsForStep = (
  step: WizardStepId,
  goals: { name: string; summary: string }[],
  mode: DoctorReport['recommendation']['mode'] = 'dual-gpu',
) => {
  const patterns: Partial<Record<WizardStepId, RegExp>> = {
    boot: /^(iommu|vfio|initramfs|kernel|boot|cmdline)/,
    vm: /^(vm|hook|handoff|display-off)/,
    'looking-glass': /^(lg|looking)/,
  };
  const pattern = patterns[step];
  // Binding at boot takes the GPU away from the host for good, and keeping the desktop off a GPU leaves the
  // host another: both only when the host keeps another GPU.
  const dualOnly = new Set(['vfio-early', 'display-off-vm-gpu']);
  return pattern ? goals.filter((g) => pattern.test(g.name) && (mode === 'dual-gpu' || !dualOnly.has(g.name))) : [];
};
