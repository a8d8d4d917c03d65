// Distributions whose /etc, boot entries and initrd are generated from a declaration (NixOS from
// configuration.nix, Guix System from its config.scm): editing those files is undone by the next
// rebuild, and the initrd never sees them. On such a system a plan keeps only what acts on the
// running machine or lives in GPU Ferry's own folders, and says what to declare instead.
import type { HostModel } from '../host/model';
import type { GoalDefinition } from '../plan/goals';
import type { Plan, Step } from '../plan/model';
import { nixosSnippet } from './nixos-snippet';

export type DeclarativeSystem = 'nixos' | 'guix';

export function declarativeSystem(host: HostModel): DeclarativeSystem | null {
  const ids = [host.os.id ?? '', ...host.os.idLike];
  if (ids.includes('nixos')) return 'nixos';
  if (ids.includes('guix')) return 'guix';
  return null;
}

/** Paths no declaration generates: GPU Ferry's own configuration and state. */
const OWN_PATHS = /^\/(etc\/gpu-ferry|var\/lib\/gpu-ferry)\//;

/** Steps that keep their meaning on a declarative system: live kernel changes and our own files. */
function keepsMeaning(step: Step): boolean {
  switch (step.kind) {
    case 'write-file':
    case 'edit-file':
    case 'private-edit':
    case 'remove-file':
      return OWN_PATHS.test(step.path);
    case 'run':
    case 'unit':
      // Regenerators and service restarts follow file changes; the rebuild does both instead.
      return false;
    default:
      // sysfs writes and module loads act on the running kernel only.
      return true;
  }
}

const REBUILD: Record<DeclarativeSystem, string> = {
  nixos:
    'Add this to /etc/nixos/configuration.nix (or a module it imports), then run `sudo nixos-rebuild boot` and restart:',
  guix: 'Guix System generates /etc and the boot entries from your system configuration: declare the same (kernel-arguments, initrd-modules, libvirt-service-type) in config.scm and run `sudo guix system reconfigure`. The NixOS form, for reference:',
};

/**
 * The plan a declarative system gets: generated files untouched, regenerators not run, and a warning
 * carrying the reviewed snippet that declares the same. Other systems get the plan unchanged.
 */
export function forDeclarativeSystem(host: HostModel, plan: Plan, options: unknown): Plan {
  const system = declarativeSystem(host);
  if (!system) return plan;
  const kept = plan.steps.filter(keepsMeaning);
  if (kept.length === plan.steps.length) return plan;
  const snippet = nixosSnippet(host, plan.goal, options, plan);
  return {
    ...plan,
    steps: kept,
    warnings: [
      // The initrd is declared too (boot.initrd.*): warnings about initramfs generators do not apply.
      ...plan.warnings.filter((w) => !/initramfs/i.test(w)),
      `${system === 'nixos' ? 'NixOS' : 'Guix System'} generates its boot entries, initrd and most of /etc from its configuration, so GPU Ferry edits none of those files (a rebuild would undo it). ${REBUILD[system]}\n\n${snippet}`,
    ],
    reboot: kept.length > 0 ? plan.reboot : null,
  };
}

/** The goal with its planner wrapped, so the review and root's recomputation both respect the rule. */
export const declarativeAware = (goal: GoalDefinition): GoalDefinition => ({
  ...goal,
  plan: (host, options) => forDeclarativeSystem(host, goal.plan(host, options), options),
});
