// Planner of the goal `sriov-vfs`: N SR-IOV virtual functions on a physical function, now and at every
// boot, and optionally one of them bound to vfio-pci now, for a VM; `--count 0` takes them away again.
//
// Now: typed live steps (sriov-numvfs, vfio-bind-vf) that root applies itself, computing every sysfs path
// from the validated address and journaling what it found so undo puts it back (electron/privileged/
// sriov-live.ts). The kernel changes a nonzero sriov_numvfs only through 0: root's step does that itself.
//
// At boot: a udev rule writes sriov_numvfs once the PF has a driver (the kernel accepts the write only
// then). It matches `bind` (the driver binds while udev runs: a module udev loads, a driver reload) and
// `add` with a driver already bound (udev's coldplug at boot replays `add` for devices whose driver bound
// in the initramfs, before this rule existed there); writing the number the PF already has is a no-op.
// (systemd-tmpfiles runs at a fixed point with no ordering against the driver's loading; a oneshot unit
// would need its own device dependency.) The rule also turns sriov_drivers_autoprobe off, so host
// drivers leave new VFs alone: a VM's start binds the VF to vfio-pci (libvirt's managed hostdev, or this
// goal's --vfio now).
import { isIntelIgpu } from '../analyze/pci-class';
import type { HostModel, PciDevice } from '../host/model';
import { emptyPlan, type Plan, type Step } from '../plan/model';
import { planCmdline } from './cmdline-target';
import { removeStep, writeStep } from './steps';

export interface SriovOptions {
  /** The physical function. */
  device: string;
  /** How many VFs; 0 removes them and the boot rule. */
  count: number;
  /** A VF address to bind to vfio-pci now. */
  vfio?: string;
}

export class SriovPlanError extends Error {}

export const sriovRulePath = (pf: string): string =>
  `/etc/udev/rules.d/70-gpu-ferry-sriov-${pf.replace(/[:.]/g, '-')}.rules`;

const ADDRESS = /^([0-9a-f]{4}):([0-9a-f]{2}):([0-9a-f]{2})\.([0-7])$/;

/**
 * The address of VF number `index` (0-based): the PF's routing id plus the offset and stride it
 * advertises (sriov_offset, sriov_stride), as the kernel computes it.
 */
export function vfAddress(pf: PciDevice, index: number): string | null {
  const m = ADDRESS.exec(pf.address);
  if (!m || pf.sriovOffset === null || pf.sriovStride === null) return null;
  const rid = (parseInt(m[2]!, 16) << 8) + (parseInt(m[3]!, 16) << 3) + parseInt(m[4]!, 16);
  const vf = rid + pf.sriovOffset + pf.sriovStride * index;
  const hex = (n: number, w: number) => n.toString(16).padStart(w, '0');
  return `${m[1]}:${hex(vf >> 8, 2)}:${hex((vf >> 3) & 0x1f, 2)}.${vf & 7}`;
}

function ruleText(pf: PciDevice, count: number): string {
  return [
    `# Written by GPU Ferry: ${count} SR-IOV virtual function${count === 1 ? '' : 's'} on ${pf.address} at every boot,`,
    '# created once its driver is bound; host drivers do not probe them, so a VM can take any of them.',
    `ACTION=="add|bind", SUBSYSTEM=="pci", KERNEL=="${pf.address}", DRIVER=="?*", ATTR{sriov_drivers_autoprobe}="0", ATTR{sriov_numvfs}="${count}"`,
    '',
  ].join('\n');
}

/** Intel iGPUs expose VFs only with the driver's own parameters; these go on the kernel command line. */
function intelIgpuParams(pf: PciDevice, count: number): string[] {
  if (!isIntelIgpu(pf)) return [];
  if (pf.driver === 'xe') return [`xe.max_vfs=${count}`];
  if (pf.driver === 'i915') return ['i915.enable_guc=3', `i915.max_vfs=${count}`];
  return [];
}

/** Why ADDRESS is no SR-IOV physical function on HOST (the planner's and root's guards' one test), or the PF. */
export function physicalFunction(
  host: HostModel,
  address: string,
): PciDevice | { code: 'device-not-found' | 'not-sriov'; message: string } {
  const pf = host.pci.find((d) => d.address === address);
  if (!pf) return { code: 'device-not-found', message: `There is no PCI device ${address} on this machine.` };
  if (pf.physfn !== null)
    return { code: 'not-sriov', message: `${address} is itself a virtual function of ${pf.physfn}, not a physical function.` };
  if (!pf.sriovTotalVfs)
    return {
      code: 'not-sriov',
      message: `${address} does not offer SR-IOV (no sriov_totalvfs; for Intel iGPUs the driver must be i915 with the SR-IOV module, or xe, loaded with its max_vfs parameter).`,
    };
  return pf;
}

function findPf(host: HostModel, address: string): PciDevice {
  const pf = physicalFunction(host, address);
  if ('code' in pf) throw new SriovPlanError(pf.message);
  return pf;
}

export function planSriovVfs(host: HostModel, options: SriovOptions): Plan {
  const pf = findPf(host, options.device);
  const total = pf.sriovTotalVfs ?? 0;
  // Guards in the planner, not the caller: root recomputes the plan and they hold whoever asks (root's
  // own guards, electron/privileged/guard-sriov.ts, check the steps again).
  if (options.count > total)
    throw new SriovPlanError(
      `${pf.address} offers at most ${total} virtual functions (sriov_totalvfs); asked for ${options.count}.`,
    );
  const vfs = Array.from({ length: options.count }, (_, i) => vfAddress(pf, i));
  if (options.vfio !== undefined && !vfs.includes(options.vfio))
    throw new SriovPlanError(
      vfs.some((v) => v === null)
        ? `${pf.address} does not report sriov_offset/sriov_stride, so its VF addresses are not known before they exist.`
        : `${options.vfio} is not one of the ${options.count} virtual functions of ${pf.address} (${vfs.join(', ') || 'none'}).`,
    );
  const plan = emptyPlan(
    'sriov-vfs',
    options.count > 0
      ? `${options.count} SR-IOV virtual functions on ${pf.address}`
      : `No SR-IOV virtual functions on ${pf.address}`,
  );
  const rulePath = sriovRulePath(pf.address);
  const currentRule = host.files[rulePath] ?? null;
  const current = pf.sriovNumVfs ?? 0;
  const steps: Step[] = [];
  if (options.count === 0) {
    if (currentRule !== null)
      steps.push(removeStep(rulePath, currentRule, 'No virtual functions at boot any more.'));
    if (current > 0)
      steps.push({
        kind: 'sriov-numvfs',
        device: pf.address,
        count: 0,
        before: current,
        autoprobe: true,
        reason: `Remove the ${current} virtual functions now (a VF bound to vfio-pci is released with it); host drivers probe new ones again, as by default.`,
      });
    plan.steps = steps;
    return plan;
  }
  steps.push(
    ...writeStep(
      rulePath,
      ruleText(pf, options.count),
      currentRule,
      `Create ${options.count} virtual functions at every boot, once ${pf.driver ? `the ${pf.driver} driver` : 'its driver'} is bound to ${pf.address}.`,
    ),
  );
  if (current !== options.count)
    steps.push({
      kind: 'sriov-numvfs',
      device: pf.address,
      count: options.count,
      before: current,
      autoprobe: false,
      reason: `Create ${options.count} virtual functions now (${vfs.filter(Boolean).join(', ')}), left alone by host drivers${current > 0 ? `; the kernel changes the number only from 0, so the ${current} there now go first` : ''}.`,
    });
  if (options.vfio !== undefined) {
    steps.push(
      { kind: 'module-load', module: 'vfio-pci', reason: 'vfio-pci hands the virtual function to a VM.' },
      {
        kind: 'vfio-bind-vf',
        device: options.vfio,
        pf: pf.address,
        reason: `Bind ${options.vfio} to vfio-pci now, so a VM can take it.`,
      },
    );
  }
  const params = intelIgpuParams(pf, Math.max(options.count, total));
  if (params.length > 0) {
    const edit = planCmdline(host, {
      add: params,
      removeKeys: [],
      purpose: 'let the Intel iGPU driver create SR-IOV virtual functions',
    });
    steps.unshift(...edit.steps);
    plan.warnings.push(...edit.warnings);
    plan.warnings.push(
      pf.driver === 'xe'
        ? 'The xe driver creates VFs only on GPUs where Intel enabled SR-IOV in it (recent platforms); on older iGPUs it has none.'
        : "The in-kernel i915 driver has no SR-IOV for 12th-14th gen iGPUs: this needs the out-of-tree i915 SR-IOV module (i915-sriov-dkms), and Windows in the VM needs Intel's graphics driver for the VF. Support depends on that module, not on GPU Ferry.",
    );
    if (edit.steps.length > 0)
      plan.reboot =
        'The iGPU driver reads its SR-IOV parameters only when it loads: the change takes effect after a restart.';
  }
  plan.steps = steps;
  return plan;
}
