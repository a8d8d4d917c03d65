// The hostile corpus: every plan here is rejected with its specific error code, and the tree (including
// a directory outside it that symlinks point to) stays byte for byte, mode for mode, link for link the same.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chmodSync, linkSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { encodePlan, toBase64 } from '../../shared/plan/encode';
import type { Step } from '../../shared/plan/model';
import { errorCode, giveAway, helper, makeTree, removeTree, snapshot } from './lib';

let root = '';
let outside = '';

beforeAll(() => {
  outside = mkdtempSync(path.join(tmpdir(), 'gpu-ferry-outside-'));
  writeFileSync(path.join(outside, 'victim'), 'precious\n');
  giveAway(outside); // writable by the helper's user, so only the helper's checks protect it
  root = makeTree(
    {
      'etc/default/grub': 'GRUB_CMDLINE_LINUX=""\n',
      'etc/modprobe.d/gpu-ferry-vfio.conf': 'options vfio-pci ids=1:2\n',
      'etc/tmpfiles.d/.keep': '',
      'etc/libvirt-open/qemu.conf': '',
      'usr/libexec/gpu-ferry/.keep': '',
      'etc/gpu-ferry/linked-a': 'a\n',
      'etc/dracut.conf.d': 'I am a file, not a directory\n',
      'etc/libvirt/qemu.conf': '# qemu\n',
    },
    (r) => {
      symlinkSync(path.join(outside, 'victim'), path.join(r, 'etc/modprobe.d/gpu-ferry-kvmfr.conf'));
      mkdirSync(path.join(r, 'etc/gpu-ferry/open'), { mode: 0o777 });
      chmodSync(path.join(r, 'etc/gpu-ferry/open'), 0o777); // group/other-writable: anyone could swap what the helper writes
      symlinkSync(outside, path.join(r, 'etc/udev'));
      mkdirSync(path.join(r, 'etc/libvirt/hooks'), { recursive: true });
      symlinkSync(outside, path.join(r, 'etc/libvirt/hooks/qemu.d'));
      mkdirSync(path.join(r, 'etc/gpu-ferry/a-directory'));
      linkSync(path.join(r, 'etc/gpu-ferry/linked-a'), path.join(r, 'etc/gpu-ferry/linked-b'));
    },
  );
});
afterAll(() => {
  removeTree(root);
  removeTree(outside);
});

const write = (p: string, extra: Partial<Step> = {}): Step =>
  ({ kind: 'write-file', path: p, content: 'x\n', mode: 0o644, owner: 'root', group: 'root', reason: 'test', ...extra }) as Step;
const run = (...argv: string[]): Step => ({ kind: 'run', argv, reason: 'test' });
const sysfs = (device: string, attribute: string, value: string, driver?: string): Step =>
  ({ kind: 'sysfs-write', device, attribute, value, reason: 'test', ...(driver === undefined ? {} : { driver }) }) as Step;
const plan = (...steps: Step[]): string => encodePlan({ goal: 'hostile', title: 'hostile', steps });
const b = toBase64;
const GOOD = write('/etc/gpu-ferry/vms/ok.conf', { content: 'FORMAT=gpu-ferry-handoff/1\nVM=ok\n' });
const hook = readFileSync(path.resolve(__dirname, '../../resources/hooks/gpu-ferry'), 'utf8');
const edit = (p: string, before: string, after: string): Step => ({ kind: 'edit-file', path: p, before, after, reason: 'test' });
const GRUB = 'GRUB_CMDLINE_LINUX=""\n';
const header = `gpu-ferry-plan 1\ngoal ${b('g')}\ntitle ${b('t')}\n`;
const rawUnit = `step unit\naction ${b('start')}\nunit ${b('a.service')}\n`;

const cases: [string, string, string][] = [
  // path traversal and odd paths
  ['dot-dot inside an allowed directory', plan(write('/etc/modprobe.d/../shadow')), 'path-traversal'],
  ['dot-dot out of a tree', plan(write('/etc/gpu-ferry/../../etc/shadow')), 'path-traversal'],
  ['relative path', plan(write('etc/default/grub')), 'bad-path'],
  ['double slash', plan(write('//etc/default/grub')), 'bad-path'],
  ['trailing slash', plan(write('/etc/default/grub/')), 'bad-path'],
  ['dot component', plan(write('/etc/./default/grub')), 'bad-path'],
  ['space in path', plan(write('/etc/gpu-ferry/a b')), 'bad-path'],
  ['newline in path', plan(write('/etc/gpu-ferry/a\n/etc/shadow')), 'bad-path'],
  ['NUL byte in path', plan(write('/etc/gpu-ferry/a\0/etc/shadow')), 'nul-byte'],
  ['NUL byte in content', plan(write('/etc/gpu-ferry/a', { content: 'a\0b' })), 'nul-byte'],
  ['path far too long', plan(write(`/etc/gpu-ferry/${'a/'.repeat(600)}x`)), 'path-too-long'],
  // allowlist
  ['/etc/shadow', plan(write('/etc/shadow')), 'path-not-allowed'],
  ['a modprobe.d file that is not ours', plan(write('/etc/modprobe.d/blacklist.conf')), 'path-not-allowed'],
  ['a glob star must not cross a slash', plan(write('/etc/modprobe.d/gpu-ferry/x.conf')), 'path-not-allowed'],
  ['the tree directory itself is not a file', plan(write('/etc/gpu-ferry')), 'path-not-allowed'],
  ['a file in the helper\'s own journal', plan(write('/var/lib/gpu-ferry/journal/20260101T000000Z-1/files')), 'path-not-allowed'],
  // symlinks and file types
  ['final component is a symlink out of the tree', plan(write('/etc/modprobe.d/gpu-ferry-kvmfr.conf')), 'symlink-target'],
  ['a directory in the path is a symlink', plan(write('/etc/udev/rules.d/99-gpu-ferry-kvmfr.rules')), 'symlink-in-path'],
  ['hook directory is a symlink', plan(write('/etc/libvirt/hooks/qemu.d/gpu-ferry')), 'symlink-in-path'],
  ['a path component is a file', plan(write('/etc/dracut.conf.d/gpu-ferry-vfio.conf')), 'not-a-directory'],
  ['target is a directory', plan(write('/etc/gpu-ferry/a-directory')), 'not-a-regular-file'],
  ['target is hard-linked', plan(write('/etc/gpu-ferry/linked-a')), 'hard-linked'],
  ['missing directory the helper may not create', plan(write('/etc/kernel/cmdline')), 'missing-directory'],
  // content expectations
  ['edit with stale before', plan({ kind: 'edit-file', path: '/etc/default/grub', before: 'other\n', after: 'x\n', reason: 't' }), 'content-changed'],
  ['remove a file that is not there', plan({ kind: 'remove-file', path: '/etc/tmpfiles.d/gpu-ferry-looking-glass.conf', before: '', reason: 't' }), 'file-missing'],
  ['remove a file with other content', plan({ kind: 'remove-file', path: '/etc/modprobe.d/gpu-ferry-vfio.conf', before: 'x', reason: 't' }), 'content-changed'],
  ['create a file that exists', plan(write('/etc/modprobe.d/gpu-ferry-vfio.conf', { before: null })), 'file-exists'],
  ['setuid mode', plan(write('/etc/gpu-ferry/x', { mode: 0o4755 })), 'bad-mode'],
  ['shell metacharacters in owner', plan(write('/etc/gpu-ferry/x', { owner: 'root;id' })), 'bad-owner'],
  ['unknown owner', plan(write('/etc/gpu-ferry/x', { owner: 'no-such-user-gf' })), 'unknown-owner'],
  ['unknown group', plan(write('/etc/gpu-ferry/x', { group: 'no-such-group-gf' })), 'unknown-group'],
  ['same file twice', plan(GOOD, GOOD), 'duplicate-path'],
  ['empty reason', plan(write('/etc/gpu-ferry/x', { reason: '' })), 'bad-reason'],
  // programs
  ['/bin/sh by absolute path', plan(run('/bin/sh', '-c', 'id')), 'program-not-allowed'],
  ['bash by name', plan(run('bash', '-c', 'id')), 'program-not-allowed'],
  ['program name with a path', plan(run('../../bin/sh')), 'program-not-allowed'],
  ['semicolon in an argument', plan(run('grub-mkconfig', '-o', '/boot/grub/grub.cfg;reboot')), 'bad-argument'],
  ['command substitution in an argument', plan(run('dracut', '--kver', '$(id)')), 'bad-argument'],
  ['backticks in an argument', plan(run('mkinitcpio', '-p', '`id`')), 'bad-argument'],
  ['space inside an argument', plan(run('dracut', 'vfio pci')), 'bad-argument'],
  ['empty argument', plan(run('dracut', '')), 'bad-argument'],
  ['output outside /boot', plan(run('grub-mkconfig', '-o', '/etc/shadow')), 'arguments-not-allowed'],
  ['extra argument to update-grub', plan(run('update-grub', '--force')), 'arguments-not-allowed'],
  ['image path traversal', plan(run('booster', 'build', '--force', '--kernel-version', '6.1', '/boot/../etc/x')), 'path-traversal'],
  // kinds no planner emits (review item 15): refused whatever their fields
  ['sysfs-write: remove a PCI device', plan(sysfs('0000:0a:00.0', 'remove', '1')), 'step-kind-not-allowed'],
  ['sysfs-write: unbind the disk controller', plan(sysfs('0000:00:17.0', 'unbind', '0000:00:17.0', 'ahci')), 'step-kind-not-allowed'],
  ['module-unload of anything', plan({ kind: 'module-unload', module: 'nvme', reason: 't' }), 'step-kind-not-allowed'],
  // modules and units
  ['module name with a semicolon', plan({ kind: 'module-load', module: 'vfio;id', reason: 't' }), 'bad-module'],
  ['module parameter with substitution', plan({ kind: 'module-load', module: 'vfio_pci', params: ['ids=$(id)'], reason: 't' }), 'bad-module-param'],
  ['unit action kill', plan({ kind: 'unit', action: 'kill' as never, unit: 'sddm.service', reason: 't' }), 'bad-unit-action'],
  ['unit name with a path', plan({ kind: 'unit', action: 'stop', unit: '../../x.service', reason: 't' }), 'bad-unit'],
  ['module not on the allowlist', plan({ kind: 'module-load', module: 'dccp', reason: 't' }), 'module-not-allowed'],
  ['unsafe parameter for an allowed module', plan({ kind: 'module-load', module: 'kvmfr', params: ['static_size_mb=64', 'x=1'], reason: 't' }), 'module-not-allowed'],
  ['vfio_iommu_type1 allow_unsafe_interrupts', plan({ kind: 'module-load', module: 'vfio_iommu_type1', params: ['allow_unsafe_interrupts=1'], reason: 't' }), 'module-not-allowed'],
  ['start debug-shell.service (root shell on tty9)', plan({ kind: 'unit', action: 'start', unit: 'debug-shell.service', reason: 't' }), 'unit-not-allowed'],
  ['stop an allowed unit (only restart is planned)', plan({ kind: 'unit', action: 'stop', unit: 'apparmor.service', reason: 't' }), 'unit-not-allowed'],
  ['start poweroff.target', plan({ kind: 'unit', action: 'start', unit: 'poweroff.target', reason: 't' }), 'unit-not-allowed'],
  // content rules (review item 1): root runs or sources these files
  ['tmpfiles w+ writes sudoers', plan(write('/etc/tmpfiles.d/gpu-ferry-looking-glass.conf', { content: 'w+ /etc/sudoers.d/x - - - - nobody ALL=(ALL) NOPASSWD: ALL\n', before: null })), 'content-not-allowed'],
  ['tmpfiles entry under another name', plan(write('/etc/tmpfiles.d/gpu-ferry-x.conf', { content: 'f /dev/shm/looking-glass 0660 a b -\n', before: null })), 'path-not-allowed'],
  ['modprobe.d file under a wildcard name', plan(write('/etc/modprobe.d/gpu-ferry-x.conf', { content: 'install vfio-pci /bin/sh\n' })), 'path-not-allowed'],
  ['modprobe install hook in our file', plan(edit('/etc/modprobe.d/gpu-ferry-vfio.conf', 'options vfio-pci ids=1:2\n', 'install vfio-pci /bin/sh -c "cp /bin/sh /tmp/s; chmod 4755 /tmp/s"\n')), 'content-not-allowed'],
  ['install line almost in the generated shape', plan(edit('/etc/modprobe.d/gpu-ferry-vfio.conf', 'options vfio-pci ids=1:2\n', 'install vfio-pci for d in 0000:01:00.0; do [ -e /sys/bus/pci/devices/$d/driver_override ] && echo vfio-pci > /sys/bus/pci/devices/$d/driver_override; done; exec modprobe -i vfio-pci $CMDLINE_OPTS; id\n')), 'content-not-allowed'],
  ['modprobe remove line', plan(edit('/etc/modprobe.d/gpu-ferry-vfio.conf', 'options vfio-pci ids=1:2\n', 'remove vfio-pci /bin/id\n')), 'content-not-allowed'],
  ['comment continued by a backslash', plan(edit('/etc/modprobe.d/gpu-ferry-vfio.conf', 'options vfio-pci ids=1:2\n', '# harmless \\\ninstall x id\n')), 'content-not-allowed'],
  ['modules-load.d loading another module', plan(write('/etc/modules-load.d/gpu-ferry-kvmfr.conf', { content: 'kvmfr\ndccp\n', before: null })), 'content-not-allowed'],
  ['shell code in /etc/default/grub', plan(edit('/etc/default/grub', GRUB, `${GRUB}$(cp /bin/sh /tmp/s)\n`)), 'content-not-allowed'],
  ['init= smuggled into the kernel command line', plan(edit('/etc/default/grub', GRUB, 'GRUB_CMDLINE_LINUX="init=/tmp/evil"\n')), 'content-not-allowed'],
  ['quote broken out of the grub command line', plan(edit('/etc/default/grub', GRUB, 'GRUB_CMDLINE_LINUX=""; id; ""\n')), 'content-not-allowed'],
  ['qemu.conf user = root', plan(write('/etc/libvirt/qemu.conf', { content: '# qemu\nuser = "root"\n', before: '# qemu\n' })), 'content-not-allowed'],
  ['hook that is not the shipped hook', plan(write('/usr/libexec/gpu-ferry/gpu-ferry-handoff', { content: '#!/bin/sh\nid\n', mode: 0o755 })), 'content-not-allowed'],
  ['extra runtime name (wildcard removed)', plan(write('/usr/libexec/gpu-ferry/gpu-ferry-handoff-evil', { content: hook, mode: 0o755 })), 'path-not-allowed'],
  ['handoff config starting debug-shell as root', plan(write('/etc/gpu-ferry/vms/x.conf', { content: 'FORMAT=gpu-ferry-handoff/1\nDISPLAY_MANAGER=debug-shell.service\n' })), 'content-not-allowed'],
  ['remove /etc/default/grub', plan({ kind: 'remove-file', path: '/etc/default/grub', before: GRUB, reason: 't' }), 'remove-not-allowed'],
  // owners and modes (review item 6)
  ['owner other than root', plan(write('/etc/gpu-ferry/x', { owner: 'nobody' })), 'owner-not-allowed'],
  ['world-writable file', plan(write('/etc/gpu-ferry/x', { mode: 0o646 })), 'mode-not-allowed'],
  ['group-writable shipped hook', plan(write('/usr/libexec/gpu-ferry/gpu-ferry-handoff', { content: hook, mode: 0o775 })), 'mode-not-allowed'],
  // directories others can write (review item 8)
  ['parent directory writable by others', plan(write('/etc/gpu-ferry/open/x')), 'unsafe-directory'],
  // programs and arguments (review items 3, 4, 18)
  ['booster writes /etc/shadow', plan(run('booster', 'build', '--force', '/etc/shadow')), 'arguments-not-allowed'],
  ['booster reads a user config', plan(run('booster', 'build', '--config=/home/u/x.yaml', '/boot/booster-linux.img')), 'arguments-not-allowed'],
  ['virsh define', plan(run('virsh', 'define', '/tmp/evil.xml')), 'program-not-allowed'],
  ['qemu-img over a VM disk', plan(run('qemu-img', 'create', '-f', 'raw', '/var/lib/libvirt/images/win.qcow2', '1G')), 'program-not-allowed'],
  ['setsebool', plan(run('setsebool', '-P', 'secure_mode', 'off')), 'program-not-allowed'],
  ['systemctl on another host', plan(run('systemctl', 'start', '-H', 'root@evil', 'sshd')), 'program-not-allowed'],
  ['udevadm trigger remove', plan(run('udevadm', 'trigger', '--action=remove')), 'arguments-not-allowed'],
  ['kernelstub init=', plan(run('kernelstub', '-a', 'init=/tmp/evil')), 'arguments-not-allowed'],
  ['grubby args with a second parameter glued on', plan(run('grubby', '--update-kernel=ALL', '--args=iommu=pt', '--args=init=/tmp/x')), 'arguments-not-allowed'],
  ['unanchored rule prefix', plan(run('mkinitcpio', '-P', '-k', '/tmp/x')), 'arguments-not-allowed'],
  // one bad step poisons the whole plan, even after good ones
  ['good step then a bad one', plan(GOOD, write('/etc/passwd')), 'path-not-allowed'],
  // the wire form itself
  ['unknown step kind', `${header}step exec\nreason ${b('x')}\nend 1\n`, 'unknown-step-kind'],
  ['wrong header', `gpu-ferry-plan 2\ngoal ${b('g')}\ntitle ${b('t')}\nend 0\n`, 'bad-header'],
  ['empty input', '', 'truncated'],
  ['truncated before the end line', plan(GOOD).split('\n').slice(0, 6).join('\n') + '\n', 'truncated'],
  ['end count does not match', plan(GOOD).replace('end 1', 'end 2'), 'truncated'],
  ['no final newline', plan(GOOD).slice(0, -1), 'truncated'],
  ['data after the end line', plan(GOOD) + rawUnit, 'trailing-data'],
  ['oversized input', `${header}step write-file\npath ${'A'.repeat(9 * 1024 * 1024)}\n`, 'too-large'],
  ['raw NUL byte in the plan text', plan(GOOD).replace('step write-file', 'step write-file\0'), 'bad-byte'],
  ['CRLF line endings', plan(GOOD).replace(/\n/g, '\r\n'), 'bad-byte'],
  ['value that is not base64', `${header}step unit\naction $(id)\n`, 'bad-base64'],
  ['fields out of order', `${header}step unit\nunit ${b('a.service')}\naction ${b('start')}\nreason ${b('r')}\nend 1\n`, 'missing-field'],
  ['unknown field', `${header}${rawUnit}shell ${b('id')}\nreason ${b('r')}\nend 1\n`, 'missing-field'],
  ['params on module-unload', `${header}step module-unload\nmodule ${b('vfio')}\nparam ${b('a=1')}\nreason ${b('r')}\nend 1\n`, 'missing-field'],
  ['run without argv', `${header}step run\nreason ${b('r')}\nend 1\n`, 'missing-field'],
  ['before and before-absent together', plan(write('/etc/gpu-ferry/x', { before: 'a' })).replace(`reason ${b('test')}`, `before-absent \nreason ${b('test')}`), 'bad-field'],
  ['too many steps', plan(...Array.from({ length: 257 }, (_, i) => write(`/etc/gpu-ferry/f${i}`))), 'too-many-steps'],
];

describe('hostile plans are rejected and change nothing', () => {
  it('has at least 40 cases with distinct inputs', () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
    expect(new Set(cases.map((c) => c[1])).size).toBe(cases.length);
  });

  it.each(cases)('%s', (_name, input, code) => {
    const before = snapshot(root);
    const outsideBefore = snapshot(outside);
    const r = helper(['--root', root, 'apply'], input);
    expect(errorCode(r), r.stdout + r.stderr).toBe(code);
    expect(r.status).toBe(2);
    expect(r.stdout).not.toMatch(/^result /m);
    expect(snapshot(root, { withJournal: true })).toEqual(before);
    expect(snapshot(outside)).toEqual(outsideBefore);
  });

  it('a valid plan on the same tree is accepted (the corpus fails for its own reason)', () => {
    const r = helper(['--root', root, 'check'], plan(GOOD));
    expect(r.stdout).toBe('ok 1\n');
    expect(r.status).toBe(0);
  });
});
