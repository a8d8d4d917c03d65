// Undo restores exact bytes and modes, removes what the plan created, and refuses when a file changed since.
import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { encodePlan } from '../../shared/plan/encode';
import type { Step } from '../../shared/plan/model';
import { errorCode, helper, makeTree, removeTree, snapshot, withoutJournalDirs } from './lib';

const trees: string[] = [];
afterEach(() => trees.splice(0).forEach(removeTree));

const steps: Step[] = [
  { kind: 'edit-file', path: '/etc/default/grub', before: 'GRUB_CMDLINE_LINUX=""\n', after: 'GRUB_CMDLINE_LINUX="iommu=pt"\n', reason: 'edit' },
  { kind: 'write-file', path: '/etc/libvirt/qemu.conf', content: '# new\n', mode: 0o600, owner: 'root', group: 'root', reason: 'replace' },
  { kind: 'write-file', path: '/etc/modprobe.d/gpu-ferry-vfio.conf', content: '# options\n', mode: 0o644, owner: 'root', group: 'root', before: null, reason: 'create' },
];
const input = encodePlan({ goal: 'undo-test', title: 'Undo test', steps });

function applied(): { root: string; id: string; before: ReturnType<typeof snapshot> } {
  const root = makeTree({ 'etc/default/grub': 'GRUB_CMDLINE_LINUX=""\n', 'etc/libvirt/qemu.conf': 'old\n' });
  trees.push(root);
  chmodSync(path.join(root, 'etc/default/grub'), 0o640);
  const before = snapshot(root);
  const r = helper(['--root', root, 'apply'], input);
  expect(r.status, r.stdout + r.stderr).toBe(0);
  return { root, id: /^journal (\S+)$/m.exec(r.stdout)![1]!, before };
}

describe('undo', () => {
  it('keeps the mode of an edited file and sets the mode of a written one', () => {
    const { root } = applied();
    expect(statSync(path.join(root, 'etc/default/grub')).mode & 0o777).toBe(0o640);
    expect(statSync(path.join(root, 'etc/libvirt/qemu.conf')).mode & 0o777).toBe(0o600);
    expect(readFileSync(path.join(root, 'etc/modprobe.d/gpu-ferry-vfio.conf'), 'utf8')).toBe('# options\n');
  });

  it('by id restores bytes and modes and removes created files and directories', () => {
    const { root, id, before } = applied();
    const r = helper(['--root', root, 'undo', id]);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain(`undone ${id}`);
    expect(withoutJournalDirs(snapshot(root), before)).toEqual(before);
    const j = helper(['--root', root, 'journal']);
    expect(j.stdout).toMatch(new RegExp(`^entry ${id} undone \\S+ \\S+ 3 /etc/default/grub /etc/libvirt/qemu.conf /etc/modprobe.d/gpu-ferry-vfio.conf$`, 'm'));
    expect(errorCode(helper(['--root', root, 'undo', id]))).toBe('not-applied');
  });

  it('refuses, changing nothing, when a file was changed after applying', () => {
    const { root } = applied();
    writeFileSync(path.join(root, 'etc/libvirt/qemu.conf'), 'someone else\n');
    const changed = snapshot(root, { withJournal: false });
    const r = helper(['--root', root, 'undo', 'last']);
    expect(r.status).toBe(4);
    expect(errorCode(r)).toBe('file-changed');
    expect(r.stdout).toContain('/etc/libvirt/qemu.conf');
    expect(snapshot(root)).toEqual(changed);
  });

  it('refuses when a created file was removed by someone else', () => {
    const { root } = applied();
    removeTree(path.join(root, 'etc/modprobe.d/gpu-ferry-vfio.conf'));
    expect(errorCode(helper(['--root', root, 'undo', 'last']))).toBe('file-changed');
  });

  it('refuses a tampered journal that names a path outside the allowlist', () => {
    const { root, id } = applied();
    writeFileSync(path.join(root, 'etc/shadow'), 'root:secret\n');
    const entry = path.join(root, 'var/lib/gpu-ferry/journal', id);
    writeFileSync(path.join(entry, 'files'), '0 /etc/shadow\n');
    const tampered = snapshot(root, { withJournal: true });
    const r = helper(['--root', root, 'undo', id]);
    expect(r.status).toBe(4);
    expect(errorCode(r)).toBe('bad-journal');
    expect(snapshot(root, { withJournal: true })).toEqual(tampered);
  });

  it('rejects unknown ids and malformed ids clearly', () => {
    const { root } = applied();
    expect(errorCode(helper(['--root', root, 'undo', '20990101T000000Z-1']))).toBe('no-such-entry');
    const bad = helper(['--root', root, 'undo', '../../etc']);
    expect(bad.status).toBe(64);
  });

  it('refuses --root when run as root, and verbs that change things without --root as a user', () => {
    const r = helper(['apply'], input);
    expect(r.status).toBe(64);
    expect(r.stdout).toMatch(/pkexec|--root/);
  });
});
