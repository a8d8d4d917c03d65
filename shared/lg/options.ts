// Options of the `looking-glass` goal, validated once for the CLI, the IPC channel and the wizard.
import { z } from 'zod';
import { LgInputError, parseResolution } from './size';
import { checkVmName } from '../vm/vm-name';

const resolutionOk = (text: string): boolean => {
  try {
    parseResolution(text);
    return true;
  } catch (error) {
    if (error instanceof LgInputError) return false;
    throw error;
  }
};

/** POSIX-portable user and group names (what useradd accepts by default). */
const accountName = z.string().regex(/^[a-z_][a-z0-9_-]{0,31}$/, 'must be a user or group name such as alex or kvm');

export const lookingGlassOptions = z.object({
  /** The VM whose domain XML gets the shared memory device (used by `apply` for the XML part). */
  // The same rules as every VM name (no control characters): it reaches the plan's title, which the journal lists.
  vm: z
    .string()
    .superRefine((name, ctx) => {
      const check = checkVmName(name);
      if (!check.ok) ctx.addIssue({ code: 'custom', message: check.reason });
    })
    .optional(),
  resolution: z.string().refine(resolutionOk, 'must be WIDTHxHEIGHT, e.g. 2560x1440, up to 15360 per side').default('1920x1080'),
  hdr: z.boolean().default(false),
  /** Use a plain shared memory file instead of the kvmfr module. */
  shm: z.boolean().default(false),
  /** The desktop user who runs the client; default: the first regular user of the host. */
  user: accountName.optional(),
  /** The group that may open the shared memory besides the user (QEMU's group on most distros). */
  group: accountName.default('kvm'),
});

export type LookingGlassOptions = z.infer<typeof lookingGlassOptions>;

export const lookingGlassFlags: Record<string, { key: string; boolean?: boolean }> = {
  '--vm': { key: 'vm' },
  '--resolution': { key: 'resolution' },
  '--hdr': { key: 'hdr', boolean: true },
  '--shm': { key: 'shm', boolean: true },
  '--user': { key: 'user' },
  '--group': { key: 'group' },
};
