// Schemas of the fields many IPC arguments share: a VM name (the same rules as everywhere else, from
// shared/vm/vm-name.ts) and a PCI address. Kept apart from contract.ts so request schemas the contract
// imports (shared/vm/vm-change-request.ts) can use them too.
import { z } from 'zod';
import { checkVmName } from '../vm/vm-name';

/** A VM name libvirt accepts, virsh cannot mistake for an id or UUID, and we can put in a file name. */
export const vmName = z.string().superRefine((name, ctx) => {
  const check = checkVmName(name);
  if (!check.ok) ctx.addIssue({ code: 'custom', message: check.reason });
});

export const pciAddress = z
  .string()
  .regex(/^[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]$/, 'A PCI address looks like 0000:0a:00.0.');
