// The plan model, declared once as a schema: the TypeScript types, the IPC contract (plan reviews sent to
// the renderer) and the privileged program's journal (each entry keeps the plan root computed, read back
// through this schema) all come from here. Every change GPU Ferry makes is first computed as a Plan, an
// ordered list of typed steps. Plans are data: serializable (JSON), comparable, and an empty plan means
// "nothing to do". Plans are computed by the planners in shared/ (goals.registry.ts); the privileged
// program (electron/privileged/) computes them again itself as root and never accepts one from a caller.
import { z } from 'zod';
// A PCI address as sysfs spells it (root computes each sysfs path from it; see electron/privileged/sriov-live.ts).
import { pciAddress } from '../ipc/field-schemas';

const text = z.string().max(4 * 1024 * 1024);
const path = z.string().min(1).max(1024);
const name = z.string().min(1).max(256);
const argv = z.array(z.string().max(4096)).min(1).max(64);
const reason = z.string().min(1).max(2000);

/** Create or replace a whole file. `before`: the content expected now (null: must not exist; absent: no check). */
export const writeFileStep = z
  .object({
    kind: z.literal('write-file'),
    path,
    content: text,
    /** Octal permission bits, e.g. 0o644. */
    mode: z.number().int().min(0).max(0o777),
    owner: name,
    group: name,
    before: text.nullable().optional(),
    reason,
  })
  .strict();

/** Change an existing file; `before` and `after` are whole contents, so a preview is a diff. */
export const editFileStep = z.object({ kind: z.literal('edit-file'), path, before: text, after: text, reason }).strict();

/**
 * How root computes the new content of a file only root may read (a private-edit step). The rule, not the
 * bytes, is what the person reviews and what the fingerprint binds; shared/plan/edit-rules.ts applies it.
 */
export const editRule = z.discriminatedUnion('kind', [
  /** libvirt's qemu.conf: `cgroup_device_acl` includes `device` (libvirt's default list first when unset). */
  z.object({ kind: z.literal('qemu-cgroup-device'), device: z.string().regex(/^\/dev\/[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*$/).max(256) }).strict(),
]);

/**
 * Edit a file whose content the planner could not see: not readable by every user (Debian ships
 * /etc/libvirt/qemu.conf 0600), so the scan leaves it out as root too (HostModel.privateFiles) and the
 * plan a person reviews is the same as the one root computes. Root applies the rule to the file's current
 * bytes (a new file, mode 0600, when there is none), then backs up and journals it as an edit; every other
 * line is kept. Its content is never sent back.
 */
export const privateEditStep = z.object({ kind: z.literal('private-edit'), path, rule: editRule, reason }).strict();

/** Remove a file this app created earlier (`before`: the content expected). */
export const removeFileStep = z.object({ kind: z.literal('remove-file'), path, before: text, reason }).strict();

/**
 * How undo (and the rollback of a failed apply) reverses a run step's effect on the live system:
 * 'rerun' = an idempotent regenerator whose output derives from files, run again once the files are back;
 * `{ argv }` = the inverse command. Absent: nothing to do. Computed by the planner as root, like the step.
 */
export const runUndo = z.union([z.literal('rerun'), z.object({ argv }).strict()]);

/** Run a program; argv[0] is the program name (resolved by the privileged program in fixed directories). */
export const runStep = z.object({ kind: z.literal('run'), argv, undo: runUndo.optional(), reason }).strict();

export const moduleStep = z
  .object({ kind: z.literal('module-load'), module: name, params: z.array(z.string().max(256)).max(32).optional(), reason })
  .strict();

export const unitAction = z.enum(['start', 'stop', 'restart', 'enable', 'disable']);
export const unitStep = z.object({ kind: z.literal('unit'), action: unitAction, unit: name, reason }).strict();

/**
 * Set the number of SR-IOV virtual functions of the physical function `device` on the running kernel
 * (sriov_numvfs), with host drivers probing new VFs only when `autoprobe`. `before`: the number the plan
 * expects now. Undo puts back the number and autoprobe root found (journaled when the step ran).
 */
export const sriovNumVfsStep = z
  .object({ kind: z.literal('sriov-numvfs'), device: pciAddress, count: z.number().int().min(0).max(256), before: z.number().int().min(0).max(256), autoprobe: z.boolean(), reason })
  .strict();

/** Bind the virtual function `device` of `pf` to vfio-pci now (driver_override, drivers_probe); undo releases it. */
export const vfioBindVfStep = z.object({ kind: z.literal('vfio-bind-vf'), device: pciAddress, pf: pciAddress, reason }).strict();

export const stepSchema = z.discriminatedUnion('kind', [writeFileStep, editFileStep, privateEditStep, removeFileStep, runStep, moduleStep, unitStep, sriovNumVfsStep, vfioBindVfStep]);

export const planSchema = z
  .object({
    format: z.literal('gpu-ferry-plan/1'),
    /** Machine-readable goal, e.g. `iommu`, `vfio-early`, `hook-install`. */
    goal: z.string().regex(/^[a-z][a-z0-9-]{0,40}$/),
    /** Human title shown in the review. */
    title: z.string().max(300),
    steps: z.array(stepSchema).max(256),
    /** Things the user must know before applying (e.g. encrypted root). */
    warnings: z.array(z.string().max(2000)).max(50),
    /** Non-null when a reboot is needed after applying, with the reason. */
    reboot: z.string().max(2000).nullable(),
  })
  .strict();

export type WriteFileStep = z.infer<typeof writeFileStep>;
export type EditFileStep = z.infer<typeof editFileStep>;
export type EditRule = z.infer<typeof editRule>;
export type PrivateEditStep = z.infer<typeof privateEditStep>;
export type RemoveFileStep = z.infer<typeof removeFileStep>;
export type RunUndo = z.infer<typeof runUndo>;
export type RunStep = z.infer<typeof runStep>;
export type ModuleStep = z.infer<typeof moduleStep>;
export type UnitAction = z.infer<typeof unitAction>;
export type UnitStep = z.infer<typeof unitStep>;
export type SriovNumVfsStep = z.infer<typeof sriovNumVfsStep>;
export type VfioBindVfStep = z.infer<typeof vfioBindVfStep>;
export type Step = z.infer<typeof stepSchema>;
export type StepKind = Step['kind'];
export type Plan = z.infer<typeof planSchema>;

/** A plan kept in the main process for review: the renderer and the CLI apply it by `id` only. */
export interface PlanReview {
  /** One-time id of this review (plan.apply takes only this). */
  id: string;
  /** What the person reviewed, as root will recompute it (see electron/privileged/fingerprint.ts). */
  fingerprint: string;
  plan: Plan;
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
