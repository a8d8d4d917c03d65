// Guards on the live SR-IOV steps of a computed plan, against the machine root scanned itself:
//   - sriov-numvfs: the device is a physical function that offers SR-IOV, the number is at most its
//     sriov_totalvfs and `before` is what it has now; VFs that go away (any change from a nonzero number
//     goes through 0) hold no mounted filesystem and no network interface in use, and no process (a VM's
//     QEMU) holds their VFIO nodes open (device-holders.ts)
//   - vfio-bind-vf: the device is one of the VFs its PF has (or gets earlier in the plan), by the PF's
//     own offset and stride or by its physfn link, and holds no mounted filesystem or network in use
//   - the boot rule names the PF its file is named after
// sriov-live.ts checks the same on the running kernel again when the step runs.
import type { HostModel, PciDevice } from '../../shared/host/model';
import type { Plan } from '../../shared/plan/model';
import { physicalFunction, sriovRulePath, vfAddress } from '../../shared/setup/plan-sriov';
import { inUseWhy } from './device-holders';
import { devicesInUse, type DeviceProblem } from './guard-devices';
import { isLiveStep } from './sriov-live';

function pfAt(host: HostModel, address: string, step: number): PciDevice | DeviceProblem {
  const pf = physicalFunction(host, address);
  return 'code' in pf ? { ...pf, step } : pf;
}

const isProblem = (x: PciDevice | DeviceProblem): x is DeviceProblem => 'code' in x;

export function sriovProblem(host: HostModel, plan: Plan, root = host.root === '/' ? '' : host.root): DeviceProblem | null {
  for (const [i, step] of plan.steps.entries()) {
    if (step.kind !== 'write-file' || !step.path.startsWith('/etc/udev/rules.d/70-gpu-ferry-sriov-')) continue;
    const named = [...step.content.matchAll(/KERNEL=="([^"]*)"/g)].map((m) => m[1] ?? '');
    if (named.some((address) => sriovRulePath(address) !== step.path)) return { code: 'content-not-allowed', step: i, message: `'${step.path}' would act on another device than the one it is named after` };
  }
  if (!plan.steps.some(isLiveStep)) return null;
  const inUse = devicesInUse(root);
  /** The number of VFs each PF has at this point of the plan. */
  const counts = new Map<string, number>();
  for (const [i, step] of plan.steps.entries()) {
    if (step.kind === 'sriov-numvfs') {
      const pf = pfAt(host, step.device, i);
      if (isProblem(pf)) return pf;
      const total = pf.sriovTotalVfs ?? 0;
      const current = counts.get(pf.address) ?? pf.sriovNumVfs ?? 0;
      if (step.count > total) return { code: 'too-many-vfs', step: i, message: `${pf.address} offers at most ${total} virtual functions, not ${step.count}` };
      if (step.before !== current) return { code: 'machine-changed', step: i, message: `${pf.address} has ${current} virtual functions, the step expects ${step.before}` };
      if (current > 0 && step.count !== current)
        for (const vf of pf.virtfns) {
          const why = inUseWhy(root, inUse, vf);
          if (why) return { code: 'device-in-use', step: i, message: `changing the number of VFs of ${pf.address} removes ${vf}, which ${why}` };
        }
      counts.set(pf.address, step.count);
    } else if (step.kind === 'vfio-bind-vf') {
      const pf = pfAt(host, step.pf, i);
      if (isProblem(pf)) return pf;
      const count = counts.get(pf.address) ?? pf.sriovNumVfs ?? 0;
      const scanned = host.pci.find((d) => d.address === step.device);
      const byOffset = Array.from({ length: count }, (_, k) => vfAddress(pf, k)).includes(step.device);
      const byLink = scanned !== undefined && scanned.physfn === pf.address && count === (pf.sriovNumVfs ?? 0);
      if (!byOffset && !byLink) return { code: 'not-a-vf-of-pf', step: i, message: `${step.device} is not one of the ${count} virtual functions of ${pf.address}` };
      if (scanned !== undefined && scanned.physfn !== null && scanned.physfn !== pf.address)
        return { code: 'not-a-vf-of-pf', step: i, message: `${step.device} is a virtual function of ${scanned.physfn}, not of ${pf.address}` };
      const why = inUse.get(step.device);
      if (why) return { code: 'device-in-use', step: i, message: `vfio-pci would claim ${step.device}, which ${why}` };
    }
  }
  return null;
}
