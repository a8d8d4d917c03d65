// The helper as real root, without --root: owners are set and restored (which a simulated tree cannot
// show). A private mount namespace binds temporary directories over /etc/modprobe.d and /var/lib, so the
// real files of this machine are never touched. Needs root (CI runs the tiers as root).
import { spawnSync } from 'node:child_process';
import { chownSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encodePlan } from '../../shared/plan/encode';
import { HELPER, removeTree } from './lib';

const isRoot = process.getuid?.() === 0;
const modprobe = mkdtempSync(path.join(tmpdir(), 'gpu-ferry-real-modprobe-'));
const varLib = mkdtempSync(path.join(tmpdir(), 'gpu-ferry-real-varlib-'));
chmodSync(modprobe, 0o755);
afterAll(() => {
  removeTree(modprobe);
  removeTree(varLib);
});

const asRealRoot = (args: string[], input = '') =>
  spawnSync('unshare', ['-m', '--propagation', 'private', 'bash', '-c', 'mount --bind "$1" /etc/modprobe.d && mount --bind "$2" /var/lib && shift 2 && exec "$@"', 'ns', modprobe, varLib, HELPER, ...args], {
    input,
    encoding: 'utf8',
  });

const ownerOf = (file: string) => {
  const st = statSync(path.join(modprobe, file));
  return { uid: st.uid, gid: st.gid, mode: st.mode & 0o7777 };
};

describe.runIf(isRoot)('helper as real root', () => {
  it('writes files as root, keeps the owners of edited files, and undo restores them', () => {
    writeFileSync(path.join(modprobe, 'gpu-ferry-kvmfr.conf'), 'old\n');
    chownSync(path.join(modprobe, 'gpu-ferry-kvmfr.conf'), 1234, 5678);
    chmodSync(path.join(modprobe, 'gpu-ferry-kvmfr.conf'), 0o604);
    const plan = encodePlan({
      goal: 'owners',
      title: 'owners',
      steps: [
        { kind: 'edit-file', path: '/etc/modprobe.d/gpu-ferry-kvmfr.conf', before: 'old\n', after: '# new\n', reason: 'edit keeps owner' },
        { kind: 'write-file', path: '/etc/modprobe.d/gpu-ferry-vfio.conf', content: '# x\n', mode: 0o640, owner: 'root', group: 'root', before: null, reason: 'owner set' },
      ],
    });
    const applied = asRealRoot(['apply'], plan);
    expect(applied.status, applied.stdout + applied.stderr).toBe(0);
    expect(ownerOf('gpu-ferry-kvmfr.conf')).toEqual({ uid: 1234, gid: 5678, mode: 0o604 });
    expect(readFileSync(path.join(modprobe, 'gpu-ferry-kvmfr.conf'), 'utf8')).toBe('# new\n');
    expect(ownerOf('gpu-ferry-vfio.conf')).toEqual({ uid: 0, gid: 0, mode: 0o640 });
    expect(readdirSync(path.join(varLib, 'gpu-ferry/journal')).filter((e) => !e.startsWith('.'))).toHaveLength(1);

    // Someone chowns the edited file: its bytes are unchanged, so undo proceeds and restores the owner.
    chownSync(path.join(modprobe, 'gpu-ferry-kvmfr.conf'), 0, 0);
    const undone = asRealRoot(['undo', 'last']);
    expect(undone.status, undone.stdout + undone.stderr).toBe(0);
    expect(readdirSync(modprobe).sort()).toEqual(['gpu-ferry-kvmfr.conf']);
    expect(ownerOf('gpu-ferry-kvmfr.conf')).toEqual({ uid: 1234, gid: 5678, mode: 0o604 });
    expect(readFileSync(path.join(modprobe, 'gpu-ferry-kvmfr.conf'), 'utf8')).toBe('old\n');
  });

  it('as root, the hook must equal the root-owned reference copy under /usr/share/gpu-ferry', () => {
    const share = mkdtempSync(path.join(tmpdir(), 'gpu-ferry-real-share-'));
    const libvirt = mkdtempSync(path.join(tmpdir(), 'gpu-ferry-real-libvirt-'));
    try {
      chmodSync(share, 0o755);
      chmodSync(libvirt, 0o755);
      const hook = readFileSync(path.resolve(__dirname, '../../resources/hooks/gpu-ferry'), 'utf8');
      const reference = path.join(share, 'gpu-ferry/hooks/gpu-ferry');
      mkdirSync(path.dirname(reference), { recursive: true, mode: 0o755 });
      writeFileSync(reference, hook, { mode: 0o755 });
      const check = (content: string) =>
        spawnSync('unshare', ['-m', '--propagation', 'private', 'bash', '-c', 'mount --bind "$1" /usr/share && mount --bind "$2" /etc/libvirt && shift 2 && exec "$@"', 'ns', share, libvirt, HELPER, 'check'], {
          input: encodePlan({ goal: 'hook', title: 'hook', steps: [{ kind: 'write-file', path: '/etc/libvirt/hooks/qemu.d/gpu-ferry', content, mode: 0o755, owner: 'root', group: 'root', reason: 'hook' }] }),
          encoding: 'utf8',
        });
      const ok = check(hook);
      expect(ok.stdout, ok.stderr).toBe('ok 1\n');
      expect(check('#!/bin/sh\nid\n').stdout).toMatch(/^error content-not-allowed 0 /m);
      // A reference anyone but root could have written proves nothing.
      chmodSync(reference, 0o775);
      expect(check(hook).stdout).toMatch(/^error reference-missing 0 /m);
      chmodSync(reference, 0o755);
      chownSync(reference, 1234, 1234);
      expect(check(hook).stdout).toMatch(/^error reference-missing 0 /m);
    } finally {
      removeTree(share);
      removeTree(libvirt);
    }
  });

  it('refuses --root as root', () => {
    const r = spawnSync(HELPER, ['--root', modprobe, 'journal'], { encoding: 'utf8' });
    expect(r.status).toBe(64);
    expect(r.stdout).toContain('root-not-allowed');
  });
});
