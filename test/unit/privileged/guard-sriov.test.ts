// Root's guards on the live SR-IOV steps (electron/privileged/guard-sriov.ts), each as the plan a buggy
// planner or a hostile scan could make, on a machine with two SR-IOV physical functions: root refuses it
// with its own code. The black-box side (requests through the real program) is test/helper/sriov.test.ts.
import { mkdirSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { materializeHostSpec, type MaterializedRoot } from '../../../electron/host/materialize';
import { scanHost } from '../../../electron/host/scan';
import type { HostModel } from '../../../shared/host/model';
import { emptyPlan, type Plan, type Step } from '../../../shared/plan/model';
import { planSriovVfs, sriovRulePath } from '../../../shared/setup/plan-sriov';
import { holdVfioGroup, NIC_PF, NVME_PF, sriovHostSpec } from '../../lib/sriov-host';
import { refusalOf } from './refusal';

let tree: MaterializedRoot;
let host: HostModel;
beforeAll(async () => {
  tree = await materializeHostSpec(sriovHostSpec({ nvmeVfs: 0, nicVfs: 2 }));
  // The NIC's first VF is the network interface in use (a route through it).
  const iface = path.join(tree.root, 'sys/class/net/eth7');
  mkdirSync(iface, { recursive: true });
  symlinkSync(realpathSync(path.join(tree.root, 'sys/bus/pci/devices/0000:02:10.0')), path.join(iface, 'device'));
  mkdirSync(path.join(tree.root, 'proc/net'), { recursive: true });
  writeFileSync(path.join(tree.root, 'proc/net/route'), 'Iface\tDestination\tGateway\neth7\t00000000\t0101A8C0\n');
  host = await scanHost(tree.root);
});
afterAll(() => tree.cleanup());

const plan = (...steps: Step[]): Plan => ({ ...emptyPlan('sriov-vfs', 'test'), steps });
const refusal = (p: Plan): string | null => {
  const r = refusalOf(host, p);
  return r && `${r.code}: ${r.message}`;
};
const numvfs = (device: string, count: number, before: number): Step => ({ kind: 'sriov-numvfs', device, count, before, autoprobe: false, reason: 'r' });
const bind = (device: string, pf: string): Step => ({ kind: 'vfio-bind-vf', device, pf, reason: 'r' });

describe('guards on SR-IOV steps at root', () => {
  it('passes what the planner makes: VFs created and one bound, removed again', () => {
    expect(refusal(planSriovVfs(host, { device: NVME_PF, count: 2, vfio: '0000:01:00.2' }))).toBeNull();
    expect(refusal(plan(numvfs(NVME_PF, 3, 0), bind('0000:01:00.3', NVME_PF)))).toBeNull();
    // An existing VF of the NIC that is not in use.
    expect(refusal(plan(bind('0000:02:10.1', NIC_PF)))).toBeNull();
  });

  it('refuses more VFs than sriov_totalvfs', () => {
    expect(refusal(plan(numvfs(NVME_PF, 4, 0)))).toMatch(/^too-many-vfs: 0000:01:00.0 offers at most 3/);
  });

  it('refuses a device that is not an SR-IOV physical function, or is not there', () => {
    expect(refusal(plan(numvfs('0000:00:03.0', 1, 0)))).toMatch(/^not-sriov: 0000:00:03.0 does not offer SR-IOV/);
    expect(refusal(plan(numvfs('0000:02:10.1', 1, 0)))).toMatch(/^not-sriov: 0000:02:10.1 is itself a virtual function of 0000:02:00.0, not a physical function/);
    expect(refusal(plan(numvfs('0000:09:00.0', 1, 0)))).toMatch(/^device-not-found/);
    expect(refusal(plan(bind('0000:01:00.1', '0000:00:03.0')))).toMatch(/^not-sriov/);
  });

  it('refuses a number of VFs the machine does not have now', () => {
    expect(refusal(plan(numvfs(NVME_PF, 2, 1)))).toMatch(/^machine-changed: 0000:01:00.0 has 0 virtual functions/);
  });

  it('binds only a VF of that PF, one it has at that point of the plan', () => {
    // A VF of the other PF.
    expect(refusal(plan(bind('0000:02:10.1', NVME_PF)))).toMatch(/^not-a-vf-of-pf: 0000:02:10.1 is not one of the 0 virtual functions of 0000:01:00.0/);
    expect(refusal(plan(numvfs(NVME_PF, 2, 0), bind('0000:02:10.1', NVME_PF)))).toMatch(/^not-a-vf-of-pf/);
    // Beyond the count, and before the VFs exist.
    expect(refusal(plan(numvfs(NVME_PF, 2, 0), bind('0000:01:00.3', NVME_PF)))).toMatch(/^not-a-vf-of-pf: 0000:01:00.3 is not one of the 2/);
    expect(refusal(plan(bind('0000:01:00.1', NVME_PF), numvfs(NVME_PF, 2, 0)))).toMatch(/^not-a-vf-of-pf/);
    // The PF itself.
    expect(refusal(plan(numvfs(NVME_PF, 2, 0), bind(NVME_PF, NVME_PF)))).toMatch(/^not-a-vf-of-pf/);
    // A VF the NIC loses earlier in the plan.
    expect(refusal(plan(numvfs(NIC_PF, 1, 2), bind('0000:02:10.1', NIC_PF)))).toMatch(/^(not-a-vf-of-pf|device-in-use)/);
  });

  it('never takes the network interface in use: not to vfio-pci, not away with its VFs', () => {
    expect(refusal(plan(bind('0000:02:10.0', NIC_PF)))).toMatch(/^device-in-use: vfio-pci would claim 0000:02:10.0, which is the network interface eth7 in use/);
    expect(refusal(plan(numvfs(NIC_PF, 0, 2)))).toMatch(/^device-in-use: changing the number of VFs of 0000:02:00.0 removes 0000:02:10.0/);
    expect(refusal(plan(numvfs(NIC_PF, 4, 2)))).toMatch(/^device-in-use/);
  });

  it('the boot rule acts only on the PF it is named after, and only as GPU Ferry writes it', () => {
    const rule = planSriovVfs(host, { device: NVME_PF, count: 2 }).steps.find((s) => s.kind === 'write-file');
    if (rule?.kind !== 'write-file') throw new Error('no rule');
    expect(refusal(plan(rule))).toBeNull();
    const other = { ...rule, content: rule.content.replaceAll(NVME_PF, NIC_PF) };
    expect(refusal(plan(other))).toMatch(/^content-not-allowed: .* another device than the one it is named after/);
    const run = { ...rule, content: rule.content.replace('ATTR{sriov_numvfs}="2"', 'RUN+="/bin/sh -c id"') };
    expect(refusal(plan(run))).toMatch(/^content-not-allowed/);
    expect(refusal(plan({ ...rule, path: sriovRulePath(NIC_PF).replace('70-', '71-') }))).toMatch(/^path-not-allowed/);
  });
});

describe('VFs a running VM holds through VFIO', () => {
  let held: MaterializedRoot;
  let heldHost: HostModel;
  beforeAll(async () => {
    held = await materializeHostSpec(sriovHostSpec({ nvmeVfs: 2, nicVfs: 0 }));
    // QEMU holds the first NVMe VF's group (11); a name with a line break and an escape is data.
    holdVfioGroup(held.root, 4242, 'qemu-system-x86', 11);
    holdVfioGroup(held.root, 4343, 'evil\nname\u001b[2J', 11);
    // A process with a file of its own open is no holder, whatever the file is called.
    mkdirSync(path.join(held.root, 'home/u/dev/vfio'), { recursive: true });
    writeFileSync(path.join(held.root, 'home/u/dev/vfio/11'), '');
    mkdirSync(path.join(held.root, 'proc/5000/fd'), { recursive: true });
    symlinkSync(path.join(held.root, 'home/u/dev/vfio/11'), path.join(held.root, 'proc/5000/fd/3'));
    heldHost = await scanHost(held.root);
  });
  afterAll(() => held.cleanup());
  const heldRefusal = (p: Plan): string | null => {
    const r = refusalOf(heldHost, p);
    return r && `${r.code}: ${r.message}`;
  };

  it('refuses removing them (count 0, fewer, another number), naming each holder, and what the planner makes of --count 0', () => {
    const named = 'removes 0000:01:00.1, which is held open by process 4242 (qemu-system-x86), process 4343 (evil?name?[2J) through /dev/vfio/11';
    expect(heldRefusal(plan(numvfs(NVME_PF, 0, 2)))).toBe(`device-in-use: changing the number of VFs of 0000:01:00.0 ${named}`);
    expect(heldRefusal(plan(numvfs(NVME_PF, 1, 2)))).toMatch(/^device-in-use: .*process 4242 \(qemu-system-x86\)/);
    expect(heldRefusal(plan(numvfs(NVME_PF, 3, 2)))).toMatch(/^device-in-use/);
    expect(heldRefusal(planSriovVfs(heldHost, { device: NVME_PF, count: 0 }))).toMatch(/^device-in-use: .*process 4242/);
  });

  it('lets the VFs stay, and lets them go once nothing holds them', () => {
    expect(heldRefusal(plan(numvfs(NVME_PF, 2, 2)))).toBeNull();
    expect(heldRefusal(plan(bind('0000:01:00.2', NVME_PF)))).toBeNull();
    rmSync(path.join(held.root, 'proc/4242'), { recursive: true });
    rmSync(path.join(held.root, 'proc/4343'), { recursive: true });
    expect(heldRefusal(plan(numvfs(NVME_PF, 0, 2)))).toBeNull();
  });
});
