// A helper KILLED mid-apply or mid-undo: the next run (any verb) undoes what the commands did, not only
// the files. Real root with stand-in programs (./stand-in-machine.ts) that SIGKILL the helper in the
// middle of their own run, after making their change: the worst moment, when the change is made but the
// helper has not recorded the step as done. Simulated cases (kill points of GPU_FERRY_TEST_CRASH_AFTER
// inside undo) run everywhere.
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { encodePlan } from '../../shared/plan/encode';
import type { RunStep, Step } from '../../shared/plan/model';
import { helper, makeTree, removeTree, snapshot, withoutJournalDirs } from './lib';
import { canStandIn, removeAll, standInMachine } from './stand-in-machine';

const dirs: string[] = [];
afterEach(() => removeAll(dirs));
const machine = () => standInMachine(dirs);

const VFIO_CONF = 'gpu-ferry-vfio.conf';
const writeConf: Step = { kind: 'write-file', path: `/etc/modprobe.d/${VFIO_CONF}`, content: 'options vfio-pci ids=10de:1b80\n', mode: 0o644, owner: 'root', group: 'root', before: null, reason: 'bind the GPU early' };
const dracut: Step = { kind: 'run', argv: ['dracut', '--regenerate-all', '--force'], undo: 'rerun', reason: 'rebuild the initramfs' };
const grubbyArgs = (p: string): RunStep => ({ kind: 'run', argv: ['grubby', '--update-kernel=ALL', `--args=${p}`], undo: { argv: ['grubby', '--update-kernel=ALL', `--remove-args=${p}`] }, reason: `add ${p}` });
const QEMU_OLD = '#user = "root"\n';
const QEMU_NEW = '#user = "root"\ncgroup_device_acl = [\n  "/dev/kvmfr0",\n]\n';
const editQemuConf: Step = { kind: 'edit-file', path: '/etc/libvirt/qemu.conf', before: QEMU_OLD, after: QEMU_NEW, reason: 'shared memory' };
const restartLibvirtd: Step = { kind: 'unit', action: 'restart', unit: 'libvirtd.service', reason: 'libvirt reads qemu.conf only when it starts.' };
const plan = (...steps: Step[]) => encodePlan({ goal: 'effects', title: 'Effects', steps });
const lineOf = (text: string, re: RegExp): number => text.split('\n').findIndex((l) => re.test(l));

describe.runIf(canStandIn)('killed mid-apply (real root): recovery rolls back the effects too', () => {
  it('runs the inverse of every command that started, the killed one included, newest first', () => {
    const m = machine();
    m.touch('fake-grubby-dies'); // step 2 adds its argument, then the helper is killed
    const applied = m.run(['apply'], plan(writeConf, dracut, grubbyArgs('iommu=pt'), dracut));
    expect(applied.signal, applied.stdout + applied.stderr).toBe('SIGKILL');
    expect(m.read('fake-kargs')).toBe('iommu=pt\n');
    expect(existsSync(path.join(m.modprobe, VFIO_CONF))).toBe(true);

    const j = m.run(['journal']);
    expect(j.status, j.stdout + j.stderr).toBe(0);
    expect(j.stdout).toMatch(/^recovered \S+ rolled-back$/m);
    expect(existsSync(path.join(m.modprobe, VFIO_CONF))).toBe(false);
    expect(m.read('fake-kargs')).toBe(''); // the killed step's change was complete: its inverse ran
    // dracut (step 1) ran before: it runs again on the restored state; step 3 never started: not run.
    expect(m.read('fake-initramfs')).toBe('no vfio conf\n');
    expect(j.stderr).toMatch(/^result 2 ok inverse \/usr\/sbin\/grubby --update-kernel=ALL --remove-args=iommu=pt$/m);
    expect(j.stderr).toMatch(/^result 1 ok rerun /m);
    expect(j.stderr).not.toMatch(/^result 3 /m);
    expect(lineOf(j.stderr, /^result 2 ok inverse/)).toBeLessThan(lineOf(j.stderr, /^result 1 ok rerun/));
    // Recovery details are not results of the verb that ran: stdout has only the recovered line and entries.
    expect(j.stdout).not.toMatch(/^result /m);
    expect(m.state()).toBe('rolled-back');
  });

  it('a regenerator killed half-way runs again on the restored files', () => {
    const m = machine();
    m.touch('fake-dracut-dies');
    const applied = m.run(['apply'], plan(writeConf, grubbyArgs('iommu=pt'), dracut));
    expect(applied.signal).toBe('SIGKILL');
    expect(m.read('fake-initramfs')).toBe('half an image\n');
    const r = m.run(['recover']);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^recovered \S+ rolled-back$/m);
    expect(m.read('fake-kargs')).toBe('');
    expect(m.read('fake-initramfs')).toBe('no vfio conf\n');
  });

  it('a restart killed after it happened: the file is put back and the daemon restarted with it', () => {
    const m = machine();
    writeFileSync(path.join(m.libvirt, 'qemu.conf'), QEMU_OLD);
    m.touch('fake-systemctl-dies');
    const applied = m.run(['apply'], plan(editQemuConf, restartLibvirtd));
    expect(applied.signal).toBe('SIGKILL');
    expect(m.read('fake-libvirtd-config')).toBe(QEMU_NEW);
    const r = m.run(['recover']);
    expect(r.stdout).toMatch(/^recovered \S+ rolled-back$/m);
    expect(readFileSync(path.join(m.libvirt, 'qemu.conf'), 'utf8')).toBe(QEMU_OLD);
    expect(m.read('fake-libvirtd-config')).toBe(QEMU_OLD);
  });

  it('an inverse that fails in recovery is pending and the entry rollback-incomplete', () => {
    const m = machine();
    m.touch('fake-grubby-dies');
    expect(m.run(['apply'], plan(writeConf, grubbyArgs('iommu=pt'))).signal).toBe('SIGKILL');
    m.touch('fake-grubby-fails');
    const r = m.run(['recover']);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    // The entry's pending file names the command; stdout is the verb's own (it may be another entry's).
    expect(r.stderr).toMatch(/^pending 1 grubby --update-kernel=ALL --remove-args=iommu=pt$/m);
    expect(r.stdout).not.toMatch(/^pending /m);
    expect(r.stdout).toMatch(/^recovered \S+ rollback-incomplete$/m);
    expect(existsSync(path.join(m.modprobe, VFIO_CONF))).toBe(false);
    expect(m.read('fake-kargs')).toBe('iommu=pt\n');
    expect(m.state()).toBe('rollback-incomplete');
    const id = /^recovered (\S+)/m.exec(r.stdout)?.[1] ?? '';
    expect(readFileSync(path.join(m.varLib, 'gpu-ferry/journal', id, 'pending'), 'utf8')).toBe('grubby --update-kernel=ALL --remove-args=iommu=pt\n');
  });
});

describe.runIf(canStandIn)('killed mid-undo (real root): recovery finishes the undo', () => {
  it('resumes after the last finished undo command: inverses done are not run again', () => {
    const m = machine();
    expect(m.run(['apply'], plan(writeConf, grubbyArgs('iommu=pt'), dracut)).status).toBe(0);
    m.touch('fake-dracut-dies');
    const undo = m.run(['undo', 'last']);
    expect(undo.signal).toBe('SIGKILL');
    expect(undo.stdout).toMatch(/^result 1 ok inverse /m);
    expect(m.read('fake-initramfs')).toBe('half an image\n');

    const r = m.run(['journal']);
    expect(r.stdout).toMatch(/^recovered \S+ undone$/m);
    expect(r.stderr).not.toMatch(/^result 1 /m);
    expect(r.stderr).toMatch(/^result 2 ok rerun /m);
    expect(m.read('fake-initramfs')).toBe('no vfio conf\n');
    expect(existsSync(path.join(m.modprobe, VFIO_CONF))).toBe(false);
    expect(m.state()).toBe('undone');
  });

  it('an inverse killed after its change runs again (it tolerates the change being gone)', () => {
    const m = machine();
    expect(m.run(['apply'], plan(writeConf, grubbyArgs('iommu=pt'), dracut)).status).toBe(0);
    m.touch('fake-grubby-dies');
    expect(m.run(['undo', 'last']).signal).toBe('SIGKILL');
    expect(m.read('fake-kargs')).toBe('');
    const r = m.run(['recover']);
    expect(r.stdout).toMatch(/^recovered \S+ undone$/m);
    expect(r.stderr).toMatch(/^result 1 ok inverse /m);
    expect(m.read('fake-kargs')).toBe('');
    expect(m.read('fake-initramfs')).toBe('no vfio conf\n');
  });
});

describe.runIf(canStandIn)('one entry\'s recovery does not leak into the next apply (real root)', () => {
  it('a killed undo of A finished with a pending command, then B failing at step 0: only B\'s step 0 is undone', () => {
    const m = machine();
    expect(m.run(['apply'], plan(writeConf, grubbyArgs('iommu=pt'), dracut)).status).toBe(0);
    m.touch('fake-grubby-dies'); // A's undo is killed in its inverse of step 1
    expect(m.run(['undo', 'last']).signal).toBe('SIGKILL');
    m.touch('fake-grubby-fails'); // recovering A, that inverse fails: pending for A
    const failing: Step = { kind: 'run', argv: ['update-initramfs', '-u', '-k', 'all'], undo: 'rerun', reason: 'fails' };
    const b = m.run(['apply'], plan(failing, grubbyArgs('amd_iommu=on'), dracut));
    expect(b.status, b.stdout + b.stderr).toBe(3);
    expect(b.stderr).toMatch(/^pending 1 grubby --update-kernel=ALL --remove-args=iommu=pt$/m); // A's, recovering
    // B's steps 1 and 2 never ran: neither their inverse nor a rerun, nothing pending for them.
    const bLines = b.stdout.slice(b.stdout.search(/^journal /m));
    expect(bLines).not.toMatch(/^(result|pending|progress) [12] /m);
    expect(bLines).toMatch(/^pending 0 update-initramfs -u -k all$/m);
    expect(b.stdout).toMatch(/^error rollback-incomplete 0 .*run as root: update-initramfs -u -k all$/m);
    expect(m.read('fake-initramfs')).toBe('no vfio conf\n'); // B's dracut was not run by B's rollback
    const entries = [...m.run(['journal']).stdout.matchAll(/^entry (\S+) (\S+) /gm)].map(([, id, state]) => ({ id: id!, state }));
    expect(entries.map((e) => e.state)).toEqual(['undo-incomplete', 'rollback-incomplete']);
    const pendingOf = (id: string) => readFileSync(path.join(m.varLib, 'gpu-ferry/journal', id, 'pending'), 'utf8');
    expect(pendingOf(entries[0]!.id)).toBe('grubby --update-kernel=ALL --remove-args=iommu=pt\n');
    expect(pendingOf(entries[1]!.id)).toBe('update-initramfs -u -k all\n');
  });
});

describe('killed mid-undo (simulated)', () => {
  const trees: string[] = [];
  afterEach(() => trees.splice(0).forEach(removeTree));
  const GRUB_OLD = 'GRUB_CMDLINE_LINUX=""\n';
  const steps: Step[] = [
    { kind: 'edit-file', path: '/etc/default/grub', before: GRUB_OLD, after: 'GRUB_CMDLINE_LINUX="iommu=pt"\n', reason: 'edit' },
    grubbyArgs('iommu=pt'),
    { kind: 'run', argv: ['update-grub'], undo: 'rerun', reason: 'regenerate' },
  ];

  it.each([
    ['undo-restored', [/^result 1 not-executed inverse /m, /^result 2 not-executed rerun /m], []],
    ['inverse-1', [/^result 2 not-executed rerun /m], [/^result 1 /m]],
    ['rerun-2', [], [/^result 1 /m, /^result 2 /m]],
  ] as const)('killed at %s: the next run finishes the undo with what was left', (point, run, notRun) => {
    const t = makeTree({ 'etc/default/grub': GRUB_OLD });
    trees.push(t);
    const old = snapshot(t);
    expect(helper(['--root', t, 'apply'], plan(...steps)).status).toBe(0);
    const killed = helper(['--root', t, 'undo', 'last'], '', { GPU_FERRY_TEST_CRASH_AFTER: point });
    expect(killed.signal).toBe('SIGKILL');
    expect(withoutJournalDirs(snapshot(t), old)).toEqual(old); // undo restores the files first
    const r = helper(['--root', t, 'journal']);
    expect(r.stdout).toMatch(/^recovered \S+ undone$/m);
    expect(r.stdout).toMatch(/^entry \S+ undone /m);
    for (const re of run) expect(r.stderr).toMatch(re);
    for (const re of notRun) expect(r.stderr).not.toMatch(re);
    expect(withoutJournalDirs(snapshot(t), old)).toEqual(old);
  });
});
