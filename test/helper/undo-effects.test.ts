// Undo (and the rollback of a failed apply) undoes what commands did, not only the files: the real helper
// as real root runs real programs, stand-ins with effects a test can read (./stand-in-machine.ts), so the
// output shows whether dracut ran after the file was restored AND after grubby's inverse, and whether
// libvirtd was restarted with the restored qemu.conf. Needs root; the hostile and simulated cases run
// everywhere.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { encodePlan, toBase64 } from '../../shared/plan/encode';
import { parseHelperLine } from '../../shared/plan/helper-output';
import type { RunStep, Step } from '../../shared/plan/model';
import { progressText } from '../../shared/plan/progress-text';
import { errorCode, helper, makeTree, removeTree, snapshot } from './lib';
import { canStandIn, removeAll, standInMachine } from './stand-in-machine';

const dirs: string[] = [];
afterEach(() => removeAll(dirs));
const machine = () => standInMachine(dirs);

const VFIO_CONF = '/etc/modprobe.d/gpu-ferry-vfio.conf';
const writeConf: Step = { kind: 'write-file', path: VFIO_CONF, content: 'options vfio-pci ids=10de:1b80\n', mode: 0o644, owner: 'root', group: 'root', before: null, reason: 'bind the GPU early' };
const dracut: Step = { kind: 'run', argv: ['dracut', '--regenerate-all', '--force'], undo: 'rerun', reason: 'rebuild the initramfs' };
const grubbyArgs = (p: string): RunStep => ({ kind: 'run', argv: ['grubby', '--update-kernel=ALL', `--args=${p}`], undo: { argv: ['grubby', '--update-kernel=ALL', `--remove-args=${p}`] }, reason: `add ${p}` });
const plan = (...steps: Step[]) => encodePlan({ goal: 'effects', title: 'Effects', steps });

const QEMU_OLD = '#user = "root"\n';
const QEMU_NEW = '#user = "root"\ncgroup_device_acl = [\n  "/dev/kvmfr0",\n]\n';
const editQemuConf: Step = { kind: 'edit-file', path: '/etc/libvirt/qemu.conf', before: QEMU_OLD, after: QEMU_NEW, reason: 'let QEMU open the shared memory' };
const restartLibvirtd: Step = { kind: 'unit', action: 'restart', unit: 'libvirtd.service', reason: 'libvirt reads qemu.conf only when it starts.' };

/** Index of the first stdout line matching `re` (-1 when none), to check what ran after what. */
const lineOf = (stdout: string, re: RegExp): number => stdout.split('\n').findIndex((l) => re.test(l));

describe.runIf(canStandIn)('undo undoes what commands did (real root, real programs)', () => {
  it("runs a 'rerun' regenerator again after the files are restored", () => {
    const m = machine();
    const applied = m.run(['apply'], plan(writeConf, dracut));
    expect(applied.status, applied.stdout + applied.stderr).toBe(0);
    expect(m.read('fake-initramfs')).toBe('options vfio-pci ids=10de:1b80\n');

    const undone = m.run(['undo', 'last']);
    expect(undone.status, undone.stdout + undone.stderr).toBe(0);
    expect(existsSync(path.join(m.modprobe, 'gpu-ferry-vfio.conf'))).toBe(false);
    // The image was rebuilt from the restored (absent) file: the change is gone from early boot too.
    expect(m.read('fake-initramfs')).toBe('no vfio conf\n');
    expect(undone.stdout).toMatch(/^progress 1 dracut: built the image$/m);
    expect(undone.stdout).toMatch(/^result 1 ok rerun \/usr\/sbin\/dracut --regenerate-all --force$/m);
    expect(lineOf(undone.stdout, /^result 0 ok restore removed /)).toBeLessThan(lineOf(undone.stdout, /^result 1 ok rerun /));
    expect(m.state()).toBe('undone');
  });

  it('runs inverse commands newest first, then regenerators, so the image matches the restored state', () => {
    const m = machine();
    const applied = m.run(['apply'], plan(writeConf, grubbyArgs('iommu=pt'), grubbyArgs('amd_iommu=on'), dracut));
    expect(applied.status, applied.stdout + applied.stderr).toBe(0);
    expect(m.read('fake-kargs')).toBe('iommu=pt\namd_iommu=on\n');
    expect(m.read('fake-initramfs')).toBe('options vfio-pci ids=10de:1b80\niommu=pt\namd_iommu=on\n');

    const undone = m.run(['undo', 'last']);
    expect(undone.status, undone.stdout + undone.stderr).toBe(0);
    expect(m.read('fake-kargs')).toBe('');
    expect(m.read('fake-initramfs')).toBe('no vfio conf\n');
    const inverse2 = lineOf(undone.stdout, /^result 2 ok inverse \/usr\/sbin\/grubby --update-kernel=ALL --remove-args=amd_iommu=on$/);
    const inverse1 = lineOf(undone.stdout, /^result 1 ok inverse \/usr\/sbin\/grubby --update-kernel=ALL --remove-args=iommu=pt$/);
    const rerun = lineOf(undone.stdout, /^result 3 ok rerun /);
    expect([inverse2 >= 0, inverse2 < inverse1, inverse1 < rerun]).toEqual([true, true, true]);
  });

  it('a failing undo command is named, the files stay restored, the rest still runs, and the entry says so', () => {
    const m = machine();
    const applied = m.run(['apply'], plan(writeConf, grubbyArgs('iommu=pt'), dracut));
    expect(applied.status, applied.stdout + applied.stderr).toBe(0);
    writeFileSync(path.join(m.varLib, 'fake-grubby-fails'), '');

    const undone = m.run(['undo', 'last']);
    expect(undone.status).toBe(3);
    expect(undone.stdout).toMatch(/^pending 1 grubby --update-kernel=ALL --remove-args=iommu=pt$/m);
    expect(undone.stdout).toMatch(/^progress 1 grubby: cannot write the boot entries$/m);
    const error = parseHelperLine(undone.stdout.trim().split('\n').at(-1) ?? '');
    expect(error).toMatchObject({ type: 'error', code: 'undo-incomplete' });
    expect(error.type === 'error' && error.message).toContain('run as root: grubby --update-kernel=ALL --remove-args=iommu=pt');
    expect(existsSync(path.join(m.modprobe, 'gpu-ferry-vfio.conf'))).toBe(false);
    expect(m.read('fake-initramfs')).toBe('no vfio conf\niommu=pt\n'); // dracut ran; grubby's part is what is pending
    expect(m.state()).toBe('undo-incomplete');
    expect(m.run(['undo', 'last']).status).toBe(4); // nothing applied is left to undo
  });

  it('a failed apply puts the files back, runs the inverse of commands that ran and the regenerators again', () => {
    const m = machine();
    const failing: Step = { kind: 'run', argv: ['update-initramfs', '-u', '-k', 'all'], undo: 'rerun', reason: 'fails' };
    const applied = m.run(['apply'], plan(writeConf, grubbyArgs('iommu=pt'), dracut, failing));
    expect(applied.status).toBe(3);
    expect(existsSync(path.join(m.modprobe, 'gpu-ferry-vfio.conf'))).toBe(false);
    expect(m.read('fake-kargs')).toBe('');
    expect(m.read('fake-initramfs')).toBe('no vfio conf\n');
    expect(applied.stdout).toMatch(/^result 1 ok inverse /m);
    expect(applied.stdout).toMatch(/^result 2 ok rerun /m);
    // The failed regenerator itself is run again too (it may have half-written its output); it fails again.
    expect(applied.stdout).toMatch(/^pending 3 update-initramfs -u -k all$/m);
    expect(errorCode({ status: applied.status, signal: null, stdout: applied.stdout, stderr: applied.stderr })).toBe('rollback-incomplete');
    expect(applied.stdout).toMatch(/^error rollback-incomplete 3 step 3 failed; every file was put back, .*run as root: update-initramfs -u -k all$/m);
    expect(m.state()).toBe('rollback-incomplete');
  });

  it('restores the files when a regenerator was uninstalled since, and names the command still to run', () => {
    const m = machine();
    expect(m.run(['apply'], plan(writeConf, dracut)).status).toBe(0);
    removeTree(path.join(m.sbin, 'dracut'));
    const r = m.run(['undo', 'last']);
    expect(r.status, r.stdout + r.stderr).toBe(3);
    expect(existsSync(path.join(m.modprobe, 'gpu-ferry-vfio.conf'))).toBe(false); // the files are back
    expect(r.stdout).toMatch(/^progress 1 dracut is not installed now: install it, then run this command as root$/m);
    expect(r.stdout).toMatch(/^pending 1 dracut --regenerate-all --force$/m);
    expect(r.stdout).toMatch(/^error undo-incomplete - .*run as root: dracut --regenerate-all --force \(dracut is not installed now\)$/m);
    expect(m.state()).toBe('undo-incomplete');
  });

  it('still refuses an undo whose journaled plan gives a command the allowlist does not allow', () => {
    const m = machine();
    expect(m.run(['apply'], plan(writeConf, dracut)).status).toBe(0);
    const id = /^entry (\S+) /m.exec(m.run(['journal']).stdout)?.[1] ?? '';
    const planFile = path.join(m.varLib, 'gpu-ferry/journal', id, 'plan');
    writeFileSync(planFile, readFileSync(planFile, 'utf8').replace(toBase64('--regenerate-all'), toBase64('--kver=/tmp/x')));
    const r = m.run(['undo', 'last']);
    expect(r.status).toBe(4);
    expect(r.stdout).toMatch(/^error bad-journal 1 .*arguments-not-allowed/m);
    expect(readFileSync(path.join(m.modprobe, 'gpu-ferry-vfio.conf'), 'utf8')).toBe('options vfio-pci ids=10de:1b80\n');
    expect(m.state()).toBe('applied');
  });

  it('a step that fails after making its change has its inverse run too', () => {
    const m = machine();
    m.touch('fake-grubby-fails-after-change'); // grubby adds the argument, then fails
    const applied = m.run(['apply'], plan(writeConf, grubbyArgs('iommu=pt'), dracut));
    expect(applied.status, applied.stdout + applied.stderr).toBe(3);
    expect(applied.stdout).toMatch(/^error step-failed 1 /m);
    expect(applied.stdout).toMatch(/^result 1 ok inverse \/usr\/sbin\/grubby --update-kernel=ALL --remove-args=iommu=pt$/m);
    expect(m.read('fake-kargs')).toBe('');
    expect(applied.stdout).not.toMatch(/^result 2 /m); // dracut never ran: nothing to run again
    expect(m.state()).toBe('rolled-back');
  });

  it('restarts a unit again after its config file is restored, so the daemon drops the change', () => {
    const m = machine();
    writeFileSync(path.join(m.libvirt, 'qemu.conf'), QEMU_OLD);
    const applied = m.run(['apply'], plan(editQemuConf, restartLibvirtd));
    expect(applied.status, applied.stdout + applied.stderr).toBe(0);
    expect(m.read('fake-libvirtd-config')).toBe(QEMU_NEW);

    const undone = m.run(['undo', 'last']);
    expect(undone.status, undone.stdout + undone.stderr).toBe(0);
    expect(readFileSync(path.join(m.libvirt, 'qemu.conf'), 'utf8')).toBe(QEMU_OLD);
    expect(m.read('fake-libvirtd-config')).toBe(QEMU_OLD); // libvirtd runs with the restored file
    expect(undone.stdout).toMatch(/^result 1 ok rerun \/usr\/bin\/systemctl restart -- libvirtd\.service$/m);
    expect(lineOf(undone.stdout, /^result 0 ok restore \/etc\/libvirt\/qemu\.conf$/)).toBeLessThan(lineOf(undone.stdout, /^result 1 ok rerun /));
    expect(m.state()).toBe('undone');
  });

  it('a failed restart rolls back: the file is put back and the daemon restarted with it', () => {
    const m = machine();
    writeFileSync(path.join(m.libvirt, 'qemu.conf'), QEMU_OLD);
    m.touch('fake-systemctl-fails-once'); // the restart fails and leaves libvirtd down
    const applied = m.run(['apply'], plan(editQemuConf, restartLibvirtd));
    expect(applied.status).toBe(3);
    expect(applied.stdout).toMatch(/^error step-failed 1 /m);
    expect(readFileSync(path.join(m.libvirt, 'qemu.conf'), 'utf8')).toBe(QEMU_OLD);
    expect(m.read('fake-libvirtd-config')).toBe(QEMU_OLD); // up again, with the old file
    expect(m.state()).toBe('rolled-back');
  });

  it('a restart that fails on undo is pending, like any undo command', () => {
    const m = machine();
    writeFileSync(path.join(m.libvirt, 'qemu.conf'), QEMU_OLD);
    expect(m.run(['apply'], plan(editQemuConf, restartLibvirtd)).status).toBe(0);
    m.touch('fake-systemctl-fails-once');
    const undone = m.run(['undo', 'last']);
    expect(undone.status).toBe(3);
    expect(undone.stdout).toMatch(/^pending 1 systemctl restart -- libvirtd\.service$/m);
    expect(undone.stdout).toMatch(/^error undo-incomplete - .*run as root: systemctl restart -- libvirtd\.service$/m);
    expect(m.state()).toBe('undo-incomplete');
  });
});

describe('undo commands in the plan are checked like run steps', () => {
  const trees: string[] = [];
  afterEach(() => trees.splice(0).forEach(removeTree));
  const tree = () => {
    const root = makeTree({ 'etc/default/grub': 'GRUB_CMDLINE_LINUX=""\n' });
    trees.push(root);
    return root;
  };
  const smuggled: [string, Step, string][] = [
    ['a program not on the allowlist', { kind: 'run', argv: ['update-grub'], undo: { argv: ['bash', '-c', 'id'] }, reason: 'x' }, 'program-not-allowed'],
    ['arguments the rule does not allow', { ...grubbyArgs('iommu=pt'), undo: { argv: ['grubby', '--update-kernel=ALL', '--args=init=/bin/sh'] } }, 'arguments-not-allowed'],
    ['an argument with a blank', { ...grubbyArgs('iommu=pt'), undo: { argv: ['grubby', '--update-kernel=ALL', '--remove-args=iommu=pt quiet'] } }, 'bad-argument'],
  ];
  it.each(smuggled)('refuses %s in undo before any change', (_label, step, code) => {
    const root = tree();
    const before = snapshot(root, { withJournal: true });
    const r = helper(['--root', root, 'apply'], plan({ kind: 'edit-file', path: '/etc/default/grub', before: 'GRUB_CMDLINE_LINUX=""\n', after: 'GRUB_CMDLINE_LINUX="iommu=pt"\n', reason: 'edit' }, step));
    expect(r.status).toBe(2);
    expect(r.stdout).toMatch(new RegExp(`^error ${code} 1 `, 'm'));
    expect(snapshot(root, { withJournal: true })).toEqual(before);
  });

  it("refuses an undo other than 'rerun', and undo with an inverse together", () => {
    const raw = (fields: string[]) =>
      ['gpu-ferry-plan 1', `goal ${toBase64('g')}`, `title ${toBase64('t')}`, 'step run', `arg ${toBase64('update-grub')}`, ...fields, `reason ${toBase64('r')}`, 'end 1', ''].join('\n');
    const root = tree();
    expect(helper(['--root', root, 'check'], raw([`undo ${toBase64('sh -c id')}`])).stdout).toMatch(/^error bad-field 0 /m);
    expect(helper(['--root', root, 'check'], raw([`undo ${toBase64('rerun')}`, `undo-arg ${toBase64('update-grub')}`])).stdout).toMatch(/^error bad-field 0 /m);
    expect(helper(['--root', root, 'check'], raw([`undo ${toBase64('rerun')}`])).stdout).toBe('ok 1\n');
  });

  it('simulated undo says what it would run, in the order it would run it', () => {
    const root = tree();
    const steps: Step[] = [
      { kind: 'edit-file', path: '/etc/default/grub', before: 'GRUB_CMDLINE_LINUX=""\n', after: 'GRUB_CMDLINE_LINUX="iommu=pt"\n', reason: 'edit' },
      grubbyArgs('iommu=pt'),
      { kind: 'run', argv: ['update-grub'], undo: 'rerun', reason: 'regenerate' },
    ];
    expect(helper(['--root', root, 'apply'], plan(...steps)).status).toBe(0);
    const r = helper(['--root', root, 'undo', 'last']);
    expect(r.status, r.stdout).toBe(0);
    const said = r.stdout.split('\n').map(parseHelperLine).flatMap((l) => progressText(l) ?? []);
    expect(said).toEqual([
      'Restored /etc/default/grub',
      'Would undo step 2 with grubby (not installed here) --update-kernel=ALL --remove-args=iommu=pt (not run on a simulated machine)',
      'Would run update-grub (not installed here) again now that the files are back (not run on a simulated machine)',
    ]);
  });

  it('simulated undo restarts a unit again after the files, and only a restart', () => {
    const root = makeTree({ 'etc/libvirt/qemu.conf': QEMU_OLD });
    trees.push(root);
    expect(helper(['--root', root, 'apply'], plan(editQemuConf, restartLibvirtd)).status).toBe(0);
    const r = helper(['--root', root, 'undo', 'last']);
    expect(r.status, r.stdout).toBe(0);
    const said = r.stdout.split('\n').map(parseHelperLine).flatMap((l) => progressText(l) ?? []);
    expect(said[0]).toBe('Restored /etc/libvirt/qemu.conf');
    expect(said[1]).toMatch(/^Would run (\/usr\/bin\/systemctl|systemctl \(not installed here\)) restart -- libvirtd\.service again now that the files are back/);
    expect(said).toHaveLength(2);
  });
});
