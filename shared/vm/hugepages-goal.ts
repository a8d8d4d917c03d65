// The `hugepages` goal: `gpu-ferry plan hugepages --vm-memory-mib N | --pages N | --remove`.
import { z } from 'zod';
import { defineGoal } from '../plan/goals';
import { planHugepages } from './hugepages';

const count = (what: string) => z.coerce.number().int(`${what} must be a whole number`).positive(`${what} must be above 0`).max(9_999_999);

export const hugepagesOptions = z
  .strictObject({
    vmMemoryMib: count('--vm-memory-mib').optional(),
    pages: count('--pages').optional(),
    remove: z.boolean().optional(),
  })
  .refine(
    (o) => [o.vmMemoryMib !== undefined, o.pages !== undefined, o.remove === true].filter(Boolean).length === 1,
    'give exactly one of --vm-memory-mib N, --pages N or --remove',
  );

export const hugepagesGoal = defineGoal({
  name: 'hugepages',
  summary: 'Reserve huge pages for VM memory at boot and now (sysctl vm.nr_hugepages), or --remove the reservation',
  options: hugepagesOptions,
  flags: { '--vm-memory-mib': { key: 'vmMemoryMib' }, '--pages': { key: 'pages' }, '--remove': { key: 'remove', boolean: true } },
  plan: (host, o) =>
    planHugepages(host, o.remove ? { remove: true } : o.pages !== undefined ? { pages: o.pages } : { vmMemoryMib: o.vmMemoryMib ?? 0 }),
  examples: (host) => (host.memory.MemTotal && host.memory.Hugepagesize ? [{ vmMemoryMib: 4096 }, { pages: 8 }] : []),
});
