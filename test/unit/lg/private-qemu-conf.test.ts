// qemu.conf only root may read (Debian's libvirt-daemon-system makes it 0600): the scan records it as
// private, not absent, whoever scans (root too), so the plan the user reviews is the one root computes;
// the plan holds the rule, never a byte of the file; the rule keeps every other line.
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadHost, materializeHostFile } from '../../../electron/host/load';
import { materializeSnapshot } from '../../../electron/host/materialize';
import { takeSnapshot } from '../../../electron/host/snapshot';
import { planFingerprint } from '../../../electron/privileged/fingerprint';
import type { HostModel } from '../../../shared/host/model';
import { planLookingGlass } from '../../../shared/lg/host-plan';
import { lookingGlassOptions } from '../../../shared/lg/options';
import { effectiveDeviceAcl } from '../../../shared/lg/qemu-conf';
import { applyEditRule } from '../../../shared/plan/edit-rules';
import { renderPlan } from '../../../shared/plan/preview';

const QEMU_CONF = '/etc/libvirt/qemu.conf';
const SECRET = 'spice_password = "Zq8-only-root-reads-this"';
const FIXTURE = new URL('../../fixtures/hosts/lg-ubuntu.host.json', import.meta.url).pathname;
const options = lookingGlassOptions.parse({ vm: 'win11', resolution: '2560x1440' });

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

/** The lg-ubuntu fixture as a tree, changed by CHANGE (root: the tree), then scanned. */
async function scanned(change: (at: (p: string) => string) => void): Promise<HostModel> {
  return (await loadHost({ root: await changedTree(change) })).model;
}

async function changedTree(change: (at: (p: string) => string) => void): Promise<string> {
  const m = await materializeHostFile(JSON.parse(readFileSync(FIXTURE, 'utf8')) as unknown, FIXTURE);
  cleanups.push(m.cleanup);
  change((p) => path.join(m.root, p));
  return m.root;
}

describe('looking-glass with a qemu.conf only root may read', () => {
  it('the scan records it as private, keeps none of its content, and the plan edits it by rule', async () => {
    const host = await scanned((at) => {
      writeFileSync(at(QEMU_CONF), `${readFileSync(at(QEMU_CONF), 'utf8')}${SECRET}\n`);
      chmodSync(at(QEMU_CONF), 0o600);
    });
    expect(host.privateFiles).toContain(QEMU_CONF);
    expect(host.files[QEMU_CONF]).toBeUndefined();
    expect(host.libvirt.qemuConf).toBeNull();
    expect(JSON.stringify(host)).not.toContain('Zq8-only-root');

    const plan = planLookingGlass(host, options);
    const steps = plan.steps.filter((s) => 'path' in s && s.path === QEMU_CONF);
    expect(steps).toEqual([expect.objectContaining({ kind: 'private-edit', path: QEMU_CONF, rule: { kind: 'qemu-cgroup-device', device: '/dev/kvmfr0' } })]);
    // libvirt still has to read the edited file.
    expect(plan.steps).toContainEqual(expect.objectContaining({ kind: 'unit', action: 'restart' }));
    expect(JSON.stringify(plan)).not.toContain('Zq8-only-root');
    expect(renderPlan(plan)).toContain(`edit ${QEMU_CONF} (only root may read it): make cgroup_device_acl include "/dev/kvmfr0"`);
  });

  it('a folder others may not search makes the file private even when it does not exist (whether it does is not theirs to know)', async () => {
    const host = await scanned((at) => {
      rmSync(at(QEMU_CONF));
      chmodSync(at('/etc/libvirt'), 0o700);
    });
    expect(host.privateFiles).toContain('/etc/libvirt/qemu.conf');
    expect(planLookingGlass(host, options).steps).toContainEqual(expect.objectContaining({ kind: 'private-edit', path: QEMU_CONF }));
  });

  it('a readable qemu.conf is still planned as a diff of its lines, and no file is private', async () => {
    const host = await scanned(() => {});
    expect(host.privateFiles).toEqual([]);
    expect(planLookingGlass(host, options).steps).toContainEqual(expect.objectContaining({ kind: 'edit-file', path: QEMU_CONF }));
  });

  it('the rule root applies keeps every other line byte for byte, and changes nothing once the device is allowed', () => {
    const conf = `# a comment\n${SECRET}\ncgroup_device_acl = [\n    "/dev/null",\n    "/dev/kvm"\n]\nuser = "libvirt-qemu"\n`;
    const after = applyEditRule({ kind: 'qemu-cgroup-device', device: '/dev/kvmfr0' }, conf);
    expect(effectiveDeviceAcl(after)).toEqual(['/dev/null', '/dev/kvm', '/dev/kvmfr0']);
    expect(after.split('\n').filter((l) => !l.includes('/dev/kvm'))).toEqual(conf.split('\n').filter((l) => !l.includes('/dev/kvm')));
    expect(applyEditRule({ kind: 'qemu-cgroup-device', device: '/dev/kvmfr0' }, after)).toBe(after);
    expect(effectiveDeviceAcl(applyEditRule({ kind: 'qemu-cgroup-device', device: '/dev/kvmfr0' }, null))).toContain('/dev/kvmfr0');
  });

  it('a snapshot records it as private without its content, and replays to the same plan', async () => {
    const root = await changedTree((at) => {
      writeFileSync(at(QEMU_CONF), `${readFileSync(at(QEMU_CONF), 'utf8')}${SECRET}\n`);
      chmodSync(at(QEMU_CONF), 0o600);
    });
    const snap = takeSnapshot(root);
    expect(snap.private).toEqual([QEMU_CONF]);
    expect(JSON.stringify(snap)).not.toContain('Zq8-only-root');
    const replay = await materializeSnapshot(snap);
    cleanups.push(replay.cleanup);
    const original = (await loadHost({ root })).model;
    const replayed = (await loadHost({ root: replay.root })).model;
    expect(replayed.privateFiles).toEqual(original.privateFiles);
    expect(planFingerprint(planLookingGlass(replayed, options))).toBe(planFingerprint(planLookingGlass(original, options)));
  });

  it('a snapshot taken as root lists nothing inside a private folder of /etc/gpu-ferry (the walked source), names included', async () => {
    const root = await changedTree((at) => {
      mkdirSync(at('/etc/gpu-ferry/keys'), { recursive: true });
      writeFileSync(at('/etc/gpu-ferry/keys/Zq8-only-root-token'), 'x\n');
      chmodSync(at('/etc/gpu-ferry/keys'), 0o700);
    });
    const snap = takeSnapshot(root);
    expect(snap.private).toContain('/etc/gpu-ferry/keys');
    expect(JSON.stringify(snap)).not.toContain('Zq8-only-root');
  });

  it('a hostile snapshot cannot make a replay chmod or create a file outside its tree through its links', async () => {
    const outside = mkdtempSync(path.join(os.tmpdir(), 'gpu-ferry-outside-'));
    cleanups.push(async () => rmSync(outside, { recursive: true, force: true }));
    writeFileSync(path.join(outside, 'keep.txt'), 'mine\n', { mode: 0o644 });
    chmodSync(path.join(outside, 'keep.txt'), 0o644);
    const files = { '/etc/os-release': 'ID=debian\n' };
    const through = { format: 'gpu-ferry-snapshot/1', files, symlinks: { '/etc/libvirt': outside }, private: [QEMU_CONF] };
    await expect(materializeSnapshot(through)).rejects.toThrow(/private path \/etc\/libvirt\/qemu\.conf goes through the link \/etc\/libvirt/);
    expect(existsSync(path.join(outside, 'qemu.conf'))).toBe(false);
    const link = { format: 'gpu-ferry-snapshot/1', files, symlinks: { '/etc/x': path.join(outside, 'keep.txt') }, private: ['/etc/x'] };
    await expect(materializeSnapshot(link)).rejects.toThrow(/goes through the link \/etc\/x/);
    expect(statSync(path.join(outside, 'keep.txt')).mode & 0o777).toBe(0o644);
  });
});
