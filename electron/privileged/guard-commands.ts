// The commands root will run, whatever plan it computed or read back from its journal: each program with
// the exact argument shapes the planners produce, units with the one action each, modules with their
// parameters. Kernel parameters only from the goals' known set. A plan with anything else is refused
// before anything changes (and a journal entry with anything else is not undone: it was tampered with).
import type { Step } from '../../shared/plan/model';

const ids = '[0-9a-f]{4}:[0-9a-f]{4}(,[0-9a-f]{4}:[0-9a-f]{4}){0,31}';
/** Every kernel parameter a goal may add or remove. */
export const KNOWN_KERNEL_PARAM = new RegExp(`^(intel_iommu=on|amd_iommu=on|amd_iommu=off|intel_iommu=off|iommu=pt|vfio-pci\\.ids=${ids}|vfio_pci\\.ids=${ids}|rd\\.driver\\.pre=vfio[-_]pci|i915\\.enable_guc=3|(i915|xe)\\.max_vfs=([1-9][0-9]?))$`);

type ArgsRule = (args: string[]) => boolean;

const exactly =
  (...want: string[]): ArgsRule =>
  (args) =>
    args.length === want.length && args.every((a, i) => a === want[i]);
const param = (a: string | undefined): boolean => a !== undefined && KNOWN_KERNEL_PARAM.test(a);

const PROGRAMS: Record<string, ArgsRule> = {
  'grub-mkconfig': (a) => a.length === 2 && a[0] === '-o' && /^\/boot\/grub2?\/grub\.cfg$/.test(a[1] ?? ''),
  'grub2-mkconfig': (a) => a.length === 2 && a[0] === '-o' && /^\/boot\/(grub2\/grub\.cfg|efi\/EFI\/[A-Za-z0-9_-]{1,64}\/grub\.cfg)$/.test(a[1] ?? ''),
  'update-grub': exactly(),
  grubby: (a) => a.length === 2 && a[0] === '--update-kernel=ALL' && /^--(args|remove-args)=/.test(a[1] ?? '') && param(a[1]?.replace(/^--(args|remove-args)=/, '')),
  kernelstub: (a) => a.length === 2 && (a[0] === '-a' || a[0] === '-d') && param(a[1]),
  'rpm-ostree': (a) =>
    a.length >= 2 && a.length <= 9 && a[0] === 'kargs' && a.slice(1).every((x) => /^--(append|append-if-missing|delete|delete-if-present)=/.test(x) && param(x.replace(/^--[a-z-]+=/, ''))),
  mkinitcpio: exactly('-P'),
  dracut: exactly('--regenerate-all', '--force'),
  'update-initramfs': exactly('-u', '-k', 'all'),
  booster: (a) =>
    a.length === 5 && a[0] === 'build' && a[1] === '--force' && a[2] === '--kernel-version' && /^[A-Za-z0-9_.+-]{1,64}$/.test(a[3] ?? '') && !(a[3] ?? '').includes('..') && /^\/boot\/booster-linux(-(lts|zen|hardened|rt|rt-lts))?\.img$/.test(a[4] ?? ''),
  'limine-update': exactly(),
  'limine-mkinitcpio': exactly(),
  udevadm: exactly('control', '--reload'),
  'systemd-tmpfiles': exactly('--create', '/etc/tmpfiles.d/gpu-ferry-looking-glass.conf'),
  sysctl: (a) => exactly('-p', '/etc/sysctl.d/gpu-ferry-hugepages.conf')(a) || (a.length === 2 && a[0] === '-w' && /^vm\.nr_hugepages=(0|[1-9][0-9]{0,6})$/.test(a[1] ?? '')),
};

/** The one action each unit may get (a restart so the daemon reads the files the plan changed). */
const UNITS: Record<string, string> = { 'apparmor.service': 'restart', 'libvirtd.service': 'restart', 'virtqemud.service': 'restart' };

const MODULES: Record<string, (params: string[]) => boolean> = {
  kvmfr: (p) => p.length === 1 && /^static_size_mb=[1-9][0-9]{0,4}$/.test(p[0] ?? ''),
  'vfio-pci': (p) => p.length === 0,
};

/** Null when root may run this argv, else why not. */
export function commandProblem(argv: string[]): string | null {
  const [name, ...args] = argv;
  if (name === undefined || !Object.hasOwn(PROGRAMS, name)) return `program '${name ?? ''}' is not one GPU Ferry runs`;
  return PROGRAMS[name]!(args) ? null : `arguments ${JSON.stringify(args)} are not what GPU Ferry runs ${name} with`;
}

/** Null when the step's command (and its undo command) may run as root; file steps: null. */
export function stepCommandProblem(step: Step): string | null {
  switch (step.kind) {
    case 'run': {
      const own = commandProblem(step.argv);
      if (own) return own;
      return step.undo !== undefined && step.undo !== 'rerun' ? commandProblem(step.undo.argv) : null;
    }
    case 'unit':
      return Object.hasOwn(UNITS, step.unit) && UNITS[step.unit] === step.action ? null : `'${step.action} ${step.unit}' is not a unit action GPU Ferry takes`;
    case 'module-load':
      return Object.hasOwn(MODULES, step.module) && MODULES[step.module]!(step.params ?? []) ? null : `module '${step.module}' with ${JSON.stringify(step.params ?? [])} is not one GPU Ferry loads`;
    default:
      return null;
  }
}
