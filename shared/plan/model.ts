// The plan model: every change GPU Ferry makes is first computed as a Plan, an ordered list of typed
// steps. Plans are data: serializable (JSON), comparable, and an empty plan means "nothing to do".
// The helper (resources/helper/) re-validates every step; see shared/plan/encode.ts for the wire form.

export interface StepBase {
  /** One line a person understands: why this step is needed. */
  reason: string;
}

/** Create or replace a whole file. `before` is the content we expect now (null: file must not exist). */
export interface WriteFileStep extends StepBase {
  kind: 'write-file';
  path: string;
  content: string;
  /** Octal permission bits, e.g. 0o644. */
  mode: number;
  owner: string;
  group: string;
  /** Optional check: the content expected now; null = the file must not exist; absent = no check. */
  before?: string | null;
}

/** Change an existing file; `before` and `after` are whole contents, so a preview is a diff. */
export interface EditFileStep extends StepBase {
  kind: 'edit-file';
  path: string;
  before: string;
  after: string;
}

/** Remove a file this app created earlier. */
export interface RemoveFileStep extends StepBase {
  kind: 'remove-file';
  path: string;
  /** Content we expect to remove (the helper refuses when the file differs). */
  before: string;
}

/**
 * How undo (and the rollback of a failed apply) reverses a run step's effect on the live system:
 * 'rerun' = an idempotent regenerator whose output derives from files, run again once the files are back;
 * `{ argv }` = the inverse command (checked against the allowlist like any run step). Absent: nothing to do.
 */
export type RunUndo = 'rerun' | { argv: string[] };

/** Run an allowlisted program; argv[0] is the program name (resolved by the helper). */
export interface RunStep extends StepBase {
  kind: 'run';
  argv: string[];
  undo?: RunUndo;
}

export type SysfsAttribute = 'driver_override' | 'unbind' | 'bind' | 'drivers_probe' | 'remove' | 'rescan';

/** Write a sysfs attribute of a PCI device (address validated) or a driver (bind/unbind). */
export interface SysfsWriteStep extends StepBase {
  kind: 'sysfs-write';
  /** PCI address the write concerns (0000:0a:00.0). */
  device: string;
  attribute: SysfsAttribute;
  /** For bind/unbind through a driver directory: the driver name. */
  driver?: string;
  value: string;
}

export interface ModuleStep extends StepBase {
  kind: 'module-load' | 'module-unload';
  module: string;
  /** Module parameters for load (key=value). */
  params?: string[];
}

export type UnitAction = 'start' | 'stop' | 'restart' | 'enable' | 'disable';

export interface UnitStep extends StepBase {
  kind: 'unit';
  action: UnitAction;
  unit: string;
}

export type Step = WriteFileStep | EditFileStep | RemoveFileStep | RunStep | SysfsWriteStep | ModuleStep | UnitStep;
export type StepKind = Step['kind'];

export interface Plan {
  format: 'gpu-ferry-plan/1';
  /** Machine-readable goal, e.g. `iommu`, `vfio-early`, `hook-install`, `vm-create`. */
  goal: string;
  /** Human title shown in the review. */
  title: string;
  steps: Step[];
  /** Things the user must know before applying (e.g. encrypted root). */
  warnings: string[];
  /** Non-null when a reboot is needed after applying, with the reason. */
  reboot: string | null;
}

export const emptyPlan = (goal: string, title: string): Plan => ({
  format: 'gpu-ferry-plan/1',
  goal,
  title,
  steps: [],
  warnings: [],
  reboot: null,
});

export const isEmptyPlan = (plan: Plan): boolean => plan.steps.length === 0;
