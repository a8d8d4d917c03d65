// The setup goals in the goal registry: `gpu-ferry plan|apply iommu`, `vfio-early --gpu ADDR | --remove`
// and `sriov-vfs --device PF --count N [--vfio VF]`.
import { z } from 'zod';
import type { HostModel } from '../host/model';
import { defineGoal } from '../plan/goals';
import { bootDisplayGpu, isDisplayClass } from './host-facts';
import { planIommu } from './plan-iommu';
import { planVfioEarly } from './plan-vfio-early';
import { planSriovVfs } from './plan-sriov';

export const iommuGoal = defineGoal({
  name: 'iommu',
  summary:
    'Add the kernel parameters that turn the IOMMU on (intel_iommu=on on Intel, iommu=pt) through the bootloader in use',
  options: z.strictObject({}),
  flags: {},
  plan: (host) => planIommu(host),
  examples: (host) => (host.bootloader.kind === 'unknown' ? [] : [{}]),
});

/** A PCI address option (--gpu, --device, --vfio), either case on input, lower case as sysfs spells it. */
export const pciAddress = z
  .string()
  .regex(/^[0-9a-fA-F]{4}:[0-9a-fA-F]{2}:[0-9a-fA-F]{2}\.[0-7]$/, 'must be a PCI address like 0000:0a:00.0')
  .transform((s) => s.toLowerCase());

const vfioEarlyOptions = z
  .strictObject({
    gpu: pciAddress.optional(),
    remove: z.boolean().optional(),
  })
  .refine(
    (o) => (o.gpu !== undefined) !== (o.remove === true),
    'give either --gpu ADDRESS or --remove, not both',
  );

/** GPUs other than the boot display that this planner can bind on `host` (the round-trip test's cases). */
function bindableGpus(host: HostModel): string[] {
  const boot = bootDisplayGpu(host);
  return host.pci
    .filter((d) => isDisplayClass(d) && d.address !== boot?.address && d.address.endsWith('.0'))
    .map((d) => d.address)
    .filter((gpu) => {
      try {
        planVfioEarly(host, { gpu });
        return true;
      } catch {
        return false;
      }
    });
}

export const vfioEarlyGoal = defineGoal({
  name: 'vfio-early',
  summary:
    'Bind a second GPU to vfio-pci at boot (dual-GPU static mode), or --remove such a binding, ours or hand-made',
  options: vfioEarlyOptions,
  flags: { '--gpu': { key: 'gpu' }, '--remove': { key: 'remove', boolean: true } },
  plan: (host, options) => planVfioEarly(host, options),
  examples: (host) => [...bindableGpus(host).map((gpu) => ({ gpu })), { remove: true }],
});

export const sriovOptions = z.strictObject({
  device: pciAddress,
  count: z.coerce.number().int('--count must be a whole number').min(0, '--count must be 0 or more').max(256),
  vfio: pciAddress.optional(),
});

/** Root applies its live steps itself (sriov-numvfs, vfio-bind-vf: electron/privileged/sriov-live.ts). */
export const sriovGoal = defineGoal({
  name: 'sriov-vfs',
  summary:
    'Create N SR-IOV virtual functions on a device now and at every boot (udev rule), optionally bind one to vfio-pci now; --count 0 removes them',
  options: sriovOptions,
  flags: { '--device': { key: 'device' }, '--count': { key: 'count' }, '--vfio': { key: 'vfio' } },
  plan: (host, options) => planSriovVfs(host, options),
  examples: (host) =>
    host.pci
      .filter((d) => (d.sriovTotalVfs ?? 0) > 0 && d.physfn === null)
      .map((d) => ({ device: d.address, count: 1 })),
});
