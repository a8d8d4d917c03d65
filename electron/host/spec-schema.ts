// The zod schemas of the two replayable host forms (../shared/host-spec.md §1): the compact
// `gpu-ferry-host/1` spec and the raw `gpu-ferry-snapshot/1` capture. Validation errors name the field.
import { z } from 'zod';

const hex4 = z
  .string()
  .regex(/^0x[0-9a-fA-F]{4}$/, 'must be 0x followed by 4 hex digits, e.g. 0x10de')
  .transform((s) => s.toLowerCase());
const pciAddress = z
  .string()
  .regex(/^[0-9a-fA-F]{4}:[0-9a-fA-F]{2}:[0-9a-fA-F]{2}\.[0-7]$/, 'must be a PCI address like 0000:0a:00.0')
  .transform((s) => s.toLowerCase());
/** An absolute path without `..` segments, so nothing is written outside the temporary root. */
export const safeAbsolutePath = z
  .string()
  .regex(/^\//, 'must be an absolute path')
  .refine((p) => !p.split('/').includes('..'), 'must not contain ".." segments')
  .refine((p) => !p.includes('\0'), 'must not contain NUL');
const safeName = z
  .string()
  .regex(/^[A-Za-z0-9._+-]+$/, 'must be a plain file name (letters, digits, . _ + -)');

const pciEntry = z.strictObject({
  address: pciAddress,
  class: z
    .string()
    .regex(/^0x[0-9a-fA-F]{6}$/, 'must be 0x followed by 6 hex digits, e.g. 0x030000')
    .transform((s) => s.toLowerCase()),
  vendor: hex4,
  device: hex4,
  subsystemVendor: hex4.optional(),
  subsystemDevice: hex4.optional(),
  driver: z.union([safeName, z.null()]).optional(),
  iommuGroup: z.number().int().nonnegative().optional(),
  bootVga: z.boolean().optional(),
  resetMethods: z.array(safeName).optional(),
  drm: z
    .strictObject({
      card: z.string().regex(/^card[0-9]+$/, 'must be cardN'),
      connectors: z
        .record(z.string().regex(/^[A-Za-z0-9-]+$/, 'connector names look like DP-1'), z.string())
        .optional(),
    })
    .optional(),
  sriovTotalVfs: z.number().int().nonnegative().optional(),
  sriovNumVfs: z.number().int().nonnegative().optional(),
  sriovOffset: z.number().int().positive().optional(),
  sriovStride: z.number().int().nonnegative().optional(),
  physfn: pciAddress.optional(),
  /** The bridge or switch port the device sits behind (../shared/host-spec.md §1, topology). */
  parent: pciAddress.optional(),
});

/** Whether following `parent` from pci[start] comes back to a device already seen. */
function parentLoop(pci: { address: string; parent?: string | undefined }[], start: number): boolean {
  const byAddress = new Map(pci.map((d) => [d.address, d]));
  const seen = new Set<string>();
  for (let d = pci[start]; d?.parent !== undefined; d = byAddress.get(d.parent)) {
    if (seen.has(d.address)) return true;
    seen.add(d.address);
  }
  return false;
}

export const hostSpecSchema = z
  .strictObject({
    format: z.literal('gpu-ferry-host/1'),
    name: z.string().optional(),
    description: z.string().optional(),
    cpu: z
      .strictObject({
        vendor: z.string().min(1),
        model: z.string().optional(),
        flags: z.array(z.string().regex(/^\S+$/, 'flags have no spaces')).optional(),
        cores: z.number().int().positive().optional(),
        threads: z.number().int().positive().optional(),
        /** /dev/kvm present (default: the CPU has vmx or svm). */
        kvm: z.boolean().optional(),
        /** kvm_intel/kvm_amd `nested` parameter. */
        nested: z.boolean().optional(),
      })
      .optional(),
    firmware: z
      .strictObject({
        efi: z.boolean().optional(),
        acpiTables: z
          .array(z.string().regex(/^[A-Z0-9]{4}$/, 'ACPI table names are 4 characters, e.g. DMAR'))
          .optional(),
      })
      .optional(),
    kernel: z
      .strictObject({
        release: z
          .string()
          .regex(/^[^/\s]+$/, 'a kernel release has no slashes or spaces')
          .optional(),
        cmdline: z.string().optional(),
        modules: z.array(safeName).optional(),
        builtin: z.array(safeName).optional(),
        /** Modules installed as .ko (modules.dep), e.g. kvmfr built by DKMS. */
        available: z.array(safeName).optional(),
      })
      .optional(),
    iommu: z.strictObject({ enabled: z.boolean() }).optional(),
    pci: z.array(pciEntry).optional(),
    /** /proc/meminfo keys in KiB (HugePages_* are counts). */
    memory: z.record(z.string().regex(/^[A-Za-z0-9_()]+$/), z.number().int().nonnegative()).optional(),
    files: z.record(safeAbsolutePath, z.string()).optional(),
    symlinks: z.record(safeAbsolutePath, z.string().min(1)).optional(),
    commands: z.array(safeName).optional(),
    users: z
      .array(
        z.strictObject({
          name: z.string().regex(/^[a-z_][a-z0-9_-]*$/, 'must be a valid user name'),
          uid: z.number().int().nonnegative(),
          groups: z.array(z.string().regex(/^[a-z_][a-z0-9_-]*$/, 'must be a valid group name')).optional(),
        }),
      )
      .optional(),
  })
  .superRefine((spec, ctx) => {
    const pci = spec.pci ?? [];
    const seen = new Map<string, number>();
    pci.forEach((dev, i) => {
      if (seen.has(dev.address)) {
        ctx.addIssue({
          code: 'custom',
          path: ['pci', i, 'address'],
          message: `duplicate address ${dev.address} (also pci[${seen.get(dev.address)}])`,
        });
      }
      seen.set(dev.address, i);
    });
    const cards = new Map<string, number>();
    pci.forEach((dev, i) => {
      if (dev.physfn !== undefined && !seen.has(dev.physfn)) {
        ctx.addIssue({
          code: 'custom',
          path: ['pci', i, 'physfn'],
          message: `no pci entry has address ${dev.physfn}`,
        });
      }
      if (dev.parent !== undefined) {
        const parentIndex = seen.get(dev.parent);
        const parent = parentIndex === undefined ? undefined : pci[parentIndex];
        const problem =
          parent === undefined
            ? `no pci entry has address ${dev.parent}`
            : !/^0x060[49]/.test(parent.class)
              ? `${dev.parent} is not a bridge (class ${parent.class}; a parent has class 0x0604xx or 0x0609xx)`
              : parentLoop(pci, i)
                ? `the parent chain of ${dev.address} loops`
                : null;
        if (problem) ctx.addIssue({ code: 'custom', path: ['pci', i, 'parent'], message: problem });
      }
      if (dev.drm) {
        if (cards.has(dev.drm.card)) {
          ctx.addIssue({
            code: 'custom',
            path: ['pci', i, 'drm', 'card'],
            message: `${dev.drm.card} is already used by pci[${cards.get(dev.drm.card)}]`,
          });
        }
        cards.set(dev.drm.card, i);
      }
      if (spec.iommu?.enabled && dev.iommuGroup === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['pci', i, 'iommuGroup'],
          message: 'required when iommu.enabled is true',
        });
      }
    });
    const cpu = spec.cpu;
    if (cpu?.cores !== undefined && cpu.threads !== undefined && cpu.threads < cpu.cores) {
      ctx.addIssue({ code: 'custom', path: ['cpu', 'threads'], message: 'must be at least cpu.cores' });
    }
  });

export type HostSpec = z.output<typeof hostSpecSchema>;
export type HostSpecPci = NonNullable<HostSpec['pci']>[number];

export const snapshotSchema = z.strictObject({
  format: z.literal('gpu-ferry-snapshot/1'),
  /** Informational: where and when it was taken. */
  takenAt: z.string().optional(),
  note: z.string().optional(),
  files: z.record(safeAbsolutePath, z.string()),
  symlinks: z.record(safeAbsolutePath, z.string().min(1)).optional(),
  /** Directories that exist (possibly empty): an optional extension of the raw form. */
  dirs: z.array(safeAbsolutePath).optional(),
  /** Paths others may not read (files or folders; content never captured): replayed as private again. */
  private: z.array(safeAbsolutePath).optional(),
});

export type HostSnapshot = z.output<typeof snapshotSchema>;

/** Renders zod issues as "field.path: why" lines (record-key problems show the key's own reason). */
export function describeIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const where = issue.path.length
      ? issue.path
          .map((p) => (typeof p === 'number' ? `[${p}]` : String(p)))
          .join('.')
          .replace(/\.\[/g, '[')
      : '(top level)';
    const nested = issue.code === 'invalid_key' ? issue.issues.map((i) => i.message).join('; ') : '';
    return `${where}: ${nested ? `bad path: ${nested}` : issue.message}`;
  });
}
