// The sriov-vfs goal through the real privileged program, on a tree laid out like a machine with two
// SR-IOV physical functions (an NVMe controller without VFs, a NIC with two): hostile requests root must
// refuse with the reason and without changing anything, and the reviewed request applied (the boot rule
// written, the live steps checked and reported not run on a simulated tree) and undone from the journal.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { materializeHostSpec } from '../../electron/host/materialize';
import { emptyPlan } from '../../shared/plan/model';
import { sriovRulePath } from '../../shared/setup/plan-sriov';
import { holdVfioGroup, NIC_PF, NVME_PF, sriovHostSpec } from '../lib/sriov-host';
import { errorCode, giveAway, helper, planOn, removeTree, request, snapshot, withoutJournalDirs } from './lib';

const roots: string[] = [];
afterEach(() => roots.splice(0).forEach(removeTree));

async function sriovTree(): Promise<string> {
  const { root } = await materializeHostSpec(sriovHostSpec({ nvmeVfs: 0, nicVfs: 2 }));
  giveAway(root);
  roots.push(root);
  return root;
}

/** Sends a request for OPTIONS (with the fingerprint of an empty plan: none of these gets that far but
 *  one) to root; expects CODE and nothing changed. */
function refused(root: string, options: Record<string, unknown>, code: string): string {
  const before = snapshot(root);
  const r = helper(['--root', root, 'apply'], request('sriov-vfs', options, emptyPlan('sriov-vfs', '')));
  expect(r.status, r.stdout + r.stderr).toBe(2);
  expect(errorCode(r), r.stdout).toBe(code);
  expect(withoutJournalDirs(snapshot(root), before)).toEqual(before);
  return r.events.flatMap((e) => (e.type === 'error' ? [e.message] : [])).join('');
}

describe('sriov-vfs requests root refuses', () => {
  it('more VFs than the device offers, and counts outside the schema', async () => {
    const root = await sriovTree();
    expect(refused(root, { device: NVME_PF, count: 4 }, 'cannot-plan')).toMatch(/0000:01:00.0 offers at most 3 virtual functions \(sriov_totalvfs\); asked for 4/);
    expect(refused(root, { device: NVME_PF, count: 999 }, 'bad-options')).toMatch(/count/);
    expect(refused(root, { device: NVME_PF, count: -1 }, 'bad-options')).toMatch(/0 or more/);
    refused(root, { device: NVME_PF, count: 1.5 }, 'bad-options');
  });

  it('a device without SR-IOV, a VF as the PF, a device not there', async () => {
    const root = await sriovTree();
    expect(refused(root, { device: '0000:00:03.0', count: 1 }, 'cannot-plan')).toMatch(/0000:00:03.0 does not offer SR-IOV/);
    expect(refused(root, { device: '0000:02:10.1', count: 1 }, 'cannot-plan')).toMatch(/itself a virtual function of 0000:02:00.0/);
    expect(refused(root, { device: '0000:07:00.0', count: 1 }, 'cannot-plan')).toMatch(/no PCI device 0000:07:00.0/);
  });

  it('a VF of another PF, or beyond the count, to bind to vfio-pci', async () => {
    const root = await sriovTree();
    expect(refused(root, { device: NVME_PF, count: 2, vfio: '0000:02:10.1' }, 'cannot-plan')).toMatch(/0000:02:10.1 is not one of the 2 virtual functions of 0000:01:00.0 \(0000:01:00.1, 0000:01:00.2\)/);
    refused(root, { device: NVME_PF, count: 2, vfio: '0000:01:00.3' }, 'cannot-plan');
    refused(root, { device: NIC_PF, count: 2, vfio: NIC_PF }, 'cannot-plan');
  });

  it('odd addresses: paths, shell, short forms, unknown keys', async () => {
    const root = await sriovTree();
    for (const device of ['0000:01:00.0/../../../etc', '../0000:01:00.0', '0000:01:00.0; reboot', '01:00.0', '0000:01:00.8', '0000:01:00.0\n', 'sriov_numvfs', ''])
      expect(refused(root, { device, count: 1 }, 'bad-options'), device).toMatch(/device: must be a PCI address/);
    refused(root, { device: NVME_PF, count: 1, vfio: '/sys/bus/pci/devices/0000:01:00.1' }, 'bad-options');
    refused(root, { device: NVME_PF, count: 1, path: '/sys/bus/pci/devices/0000:01:00.0/sriov_numvfs' }, 'bad-options');
    refused(root, { device: NVME_PF, count: 1, value: '3' }, 'bad-options');
  });

  it('a fingerprint of another plan: refused as a changed machine', async () => {
    const root = await sriovTree();
    expect(refused(root, { device: NVME_PF, count: 2 }, 'machine-changed')).toMatch(/review it again/);
  });
});

describe('sriov-vfs applied on a simulated tree', () => {
  it('writes the boot rule, checks and reports the live steps, and undo takes the rule away', async () => {
    const root = await sriovTree();
    const before = snapshot(root);
    // Upper case as a person might type it: the schema takes it as sysfs spells it.
    const options = { device: NVME_PF.toUpperCase(), count: 2, vfio: '0000:01:00.2' };
    const plan = await planOn(root, 'sriov-vfs', options);
    expect(plan.steps.map((s) => s.kind)).toEqual(['write-file', 'sriov-numvfs', 'module-load', 'vfio-bind-vf']);
    const applied = helper(['--root', root, 'apply'], request('sriov-vfs', options, plan));
    expect(applied.status, applied.stdout + applied.stderr).toBe(0);
    const results = applied.events.flatMap((e) => (e.type === 'result' ? [`${e.status} ${e.kind} ${e.detail}`] : []));
    expect(results).toEqual([
      `ok write-file ${sriovRulePath(NVME_PF)}`,
      'not-executed sriov-numvfs sriov_numvfs of 0000:01:00.0 0 → 2',
      'not-executed module-load modprobe -- vfio-pci',
      'not-executed vfio-bind-vf 0000:01:00.2 (a VF of 0000:01:00.0) on vfio-pci',
    ]);
    expect(readFileSync(path.join(root, sriovRulePath(NVME_PF)), 'utf8')).toMatch(/KERNEL=="0000:01:00.0", DRIVER=="\?\*", ATTR\{sriov_drivers_autoprobe\}="0", ATTR\{sriov_numvfs\}="2"\n$/);
    const undone = helper(['--root', root, 'undo', 'last']);
    expect(undone.status, undone.stdout + undone.stderr).toBe(0);
    expect(undone.events.filter((e) => e.type === 'result' && e.kind === 'inverse').length).toBe(2);
    expect(withoutJournalDirs(snapshot(root), before)).toEqual(before);
  });
});

describe('sriov-vfs while a VM holds a VF', () => {
  it('--count 0 and a smaller count are refused, naming the process, with the rule and everything else unchanged', async () => {
    const { root } = await materializeHostSpec(sriovHostSpec({ nvmeVfs: 2, nicVfs: 0 }));
    roots.push(root);
    // What an earlier apply left: the boot rule for 2 VFs; and QEMU holding the first VF's group (11).
    const rule = (await planOn(root, 'sriov-vfs', { device: NVME_PF, count: 2 })).steps.find((s) => s.kind === 'write-file');
    if (rule?.kind !== 'write-file') throw new Error('no rule step');
    mkdirSync(path.join(root, 'etc/udev/rules.d'), { recursive: true });
    writeFileSync(path.join(root, rule.path), rule.content);
    holdVfioGroup(root, 4242, 'qemu-system-x86', 11);
    giveAway(root);
    for (const count of [0, 1]) {
      const options = { device: NVME_PF, count };
      const plan = await planOn(root, 'sriov-vfs', options);
      expect(plan.steps.map((s) => s.kind)).toEqual(count === 0 ? ['remove-file', 'sriov-numvfs'] : ['write-file', 'sriov-numvfs']);
      const before = snapshot(root);
      const r = helper(['--root', root, 'apply'], request('sriov-vfs', options, plan));
      expect(r.status, r.stdout + r.stderr).toBe(2);
      expect(errorCode(r), r.stdout).toBe('device-in-use');
      expect(r.stdout).toContain('removes 0000:01:00.1, which is held open by process 4242 (qemu-system-x86) through /dev/vfio/11');
      expect(withoutJournalDirs(snapshot(root), before)).toEqual(before);
    }
  });
});
