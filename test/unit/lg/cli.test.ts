// The real built CLI: `gpu-ferry looking-glass plan|apply|status|launch`, with --host fixtures, a --root
// tree applied through the real helper, and libvirt's test driver for launch's VM checks.
import { spawnSync } from 'node:child_process';
import { existsSync, lchownSync, lstatSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { materializeHostSpec } from '../../../electron/host/materialize';
import { effectiveDeviceAcl } from '../../../shared/lg/qemu-conf';
import { buildCli, fixture, runCli } from '../host/cli-helpers';

let tree = '';
beforeAll(async () => {
  buildCli();
  tree = mkdtempSync(path.join(tmpdir(), 'gpu-ferry-lg-root-'));
  await materializeHostSpec(JSON.parse(readFileSync(fixture('lg-fedora'), 'utf8')), tree);
  // The helper refuses to simulate on a root-owned tree when we are root: hand it to nobody.
  if (process.getuid?.() === 0) {
    const chownAll = (p: string) => {
      lchownSync(p, 65534, 65534);
      if (lstatSync(p).isDirectory()) for (const e of readdirSync(p)) chownAll(path.join(p, e));
    };
    chownAll(tree);
  }
}, 120_000);
afterAll(() => rmSync(tree, { recursive: true, force: true }));

describe('gpu-ferry looking-glass plan', () => {
  it('prints the review for a fixture host as JSON', () => {
    const r = runCli(['looking-glass', 'plan', '--host', fixture('lg-ubuntu'), '--vm', 'win11', '--resolution', '3840x2160', '--hdr', '--json']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const review = JSON.parse(r.stdout) as { plan: { goal: string; steps: { path?: string }[] }; sizeMiB: number; domainNote: string; checklist: { id: string; detail: string }[] };
    expect(review.plan.goal).toBe('looking-glass');
    expect(review.sizeMiB).toBe(256);
    expect(review.plan.steps.map((s) => s.path)).toContain('/etc/apparmor.d/local/abstractions/libvirt-qemu');
    expect(review.domainNote).toMatch(/simulated host/);
    expect(review.checklist.map((c) => c.id)).toEqual(['host-app', 'ivshmem-driver', 'display', 'gpu-driver', 'spice-input']);
    expect(review.checklist[0]?.detail).toMatch(/could not be read/); // the Ubuntu fixture has the client, version unknown
  });

  it('shows diffs and the checklist as text', () => {
    const r = runCli(['looking-glass', 'plan', '--host', fixture('lg-arch'), '--shm']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('+f /dev/shm/looking-glass 0660 alex kvm -');
    expect(r.stdout).toContain('In Windows:');
  });

  it.each([
    [['--resolution', '2560by1440'], /--resolution: must be WIDTHxHEIGHT/],
    [['--user', 'nobody2'], /No user "nobody2"/],
    [['--group', 'Bad Group'], /--group: must be a user or group name/],
    [['--bogus'], /: unknown option --bogus$/m],
  ])('rejects %j with exit 2 and a specific message', (extra, message) => {
    const r = runCli(['looking-glass', 'plan', '--host', fixture('lg-arch'), ...extra]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
  });
});

describe('gpu-ferry looking-glass apply', () => {
  it('without --yes changes nothing', () => {
    const before = readFileSync(path.join(tree, 'etc/libvirt/qemu.conf'), 'utf8');
    const r = runCli(['looking-glass', 'apply', '--root', tree, '--resolution', '2560x1440']);
    expect(r.status).toBe(8);
    expect(r.stderr).toMatch(/Nothing was changed/);
    expect(readFileSync(path.join(tree, 'etc/libvirt/qemu.conf'), 'utf8')).toBe(before);
    expect(existsSync(path.join(tree, 'etc/modprobe.d/gpu-ferry-kvmfr.conf'))).toBe(false);
  });

  it('refuses --host (a description cannot be changed)', () => {
    const r = runCli(['looking-glass', 'apply', '--host', fixture('lg-arch'), '--yes']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/cannot be changed/);
  });

  it('applies the host plan to a --root tree through the real helper, keeping the user\'s qemu.conf entries', () => {
    const before = readFileSync(path.join(tree, 'etc/libvirt/qemu.conf'), 'utf8');
    const r = runCli(['looking-glass', 'apply', '--root', tree, '--resolution', '2560x1440', '--yes']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/Host set up \(journal \S+; undo with `gpu-ferry undo \S+`\)/);
    expect(readFileSync(path.join(tree, 'etc/modprobe.d/gpu-ferry-kvmfr.conf'), 'utf8')).toMatch(/^options kvmfr static_size_mb=64$/m);
    expect(readFileSync(path.join(tree, 'etc/udev/rules.d/99-gpu-ferry-kvmfr.rules'), 'utf8')).toContain('OWNER="sam", GROUP="kvm", MODE="0660"');
    const after = readFileSync(path.join(tree, 'etc/libvirt/qemu.conf'), 'utf8');
    expect(effectiveDeviceAcl(after)).toEqual([...effectiveDeviceAcl(before), '/dev/kvmfr0']);
    // Planning again on the changed tree: nothing left to do (kvmfr is not installed on this host).
    const again = runCli(['looking-glass', 'plan', '--root', tree, '--resolution', '2560x1440', '--json']);
    expect((JSON.parse(again.stdout) as { plan: { steps: unknown[] } }).plan.steps).toEqual([]);
  });
});

describe('gpu-ferry looking-glass status and launch', () => {
  it('status reads the fixture\'s kvmfr and client state', () => {
    const r = runCli(['looking-glass', 'status', '--host', fixture('lg-ubuntu'), '--json']);
    expect(r.status).toBe(0);
    const s = JSON.parse(r.stdout) as { client: { installed: boolean }; kvmfr: { available: boolean; loaded: boolean } };
    expect(s.client.installed).toBe(true);
    expect(s.kvmfr).toMatchObject({ available: true, loaded: true });
  });

  it('launch needs --vm, refuses a VM that does not exist, and says when no client is installed', () => {
    expect(runCli(['looking-glass', 'launch']).status).toBe(2);
    const missing = runCli(['looking-glass', 'launch', '--vm', 'no-such-vm', '--connect', 'test:///default']);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/no such VM/);
    // test:///default has a running domain named "test"; this machine has no looking-glass-client.
    expect(spawnSync('sh', ['-c', 'command -v looking-glass-client']).status).not.toBe(0);
    const noClient = runCli(['looking-glass', 'launch', '--vm', 'test', '--connect', 'test:///default']);
    expect(noClient.stderr).toMatch(/looking-glass-client is not installed/);
    expect(noClient.status).toBe(9);
  });
});
