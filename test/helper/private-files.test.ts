// A file only root may read (Debian's qemu.conf, 0600): the app's plan edits it by rule, root computes the
// bytes from that rule, backs the file up and journals it like any edit, and sends back none of its lines.
// The --root simulation: the tree is nobody's, so here the program (as nobody) plays root for it.
import { createHash } from 'node:crypto';
import { chmodSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { effectiveDeviceAcl } from '../../shared/lg/qemu-conf';
import { errorCode, fixtureTree, helper, journalId, removeTree, requestFor, snapshot, withoutJournalDirs } from './lib';

const QEMU_CONF = 'etc/libvirt/qemu.conf';
const SECRET = 'vnc_password = "Zq8-only-root-reads-this"';
const OPTIONS = { vm: 'win11', resolution: '2560x1440' };
const roots: string[] = [];
afterEach(() => roots.splice(0).forEach(removeTree));

/** lg-ubuntu with a secret line in a 0600 qemu.conf; returns the tree and the file's bytes. */
async function privateConfTree(): Promise<{ root: string; original: string }> {
  let original = '';
  const root = await fixtureTree('lg-ubuntu', (r) => {
    const file = path.join(r, QEMU_CONF);
    original = `${readFileSync(file, 'utf8')}${SECRET}\n`;
    writeFileSync(file, original);
    chmodSync(file, 0o600);
  });
  roots.push(root);
  return { root, original };
}

describe('an edit of a file only root may read', () => {
  it('root computes it from the reviewed rule, keeps the mode and every other line, backs it up, and undo restores it', async () => {
    const { root, original } = await privateConfTree();
    const before = snapshot(root);
    const { plan, input } = await requestFor(root, 'looking-glass', OPTIONS);
    const at = plan.steps.findIndex((s) => s.kind === 'private-edit');
    expect(at).toBeGreaterThanOrEqual(0);

    const applied = helper(['--root', root, 'apply'], input);
    expect(applied.status, applied.stdout + applied.stderr).toBe(0);
    expect(applied.stdout + applied.stderr).not.toContain('Zq8-only-root');
    expect(applied.events).toContainEqual(expect.objectContaining({ type: 'result', step: at, status: 'ok', kind: 'edit-file', detail: '/etc/libvirt/qemu.conf' }));
    const file = path.join(root, QEMU_CONF);
    const after = readFileSync(file, 'utf8');
    expect(effectiveDeviceAcl(after)).toContain('/dev/kvmfr0');
    expect(after).toContain(`\n${SECRET}\n`);
    expect(after.startsWith(original.slice(0, original.indexOf('cgroup_device_acl')))).toBe(true);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const id = journalId(applied)!;
    const entry = path.join(root, 'var/lib/gpu-ferry/journal', id);
    expect(readFileSync(path.join(entry, `f${at}.old`), 'utf8')).toBe(original);
    expect(readdirSync(entry)).toContain('plan.json');
    // What others may read of the entry (it is listable without root) holds neither the bytes nor a hash
    // that would test a guess of them (the secret line in a known stock file).
    const hashes = [original, after].map((t) => createHash('sha256').update(t).digest('hex'));
    for (const name of readdirSync(entry).filter((n) => (statSync(path.join(entry, n)).mode & 0o004) !== 0)) {
      const text = readFileSync(path.join(entry, name), 'utf8');
      expect(text, name).not.toContain('Zq8-only-root');
      for (const h of hashes) expect(text, name).not.toContain(h);
    }

    const undone = helper(['--root', root, 'undo', 'last']);
    expect(undone.status, undone.stdout + undone.stderr).toBe(0);
    expect(withoutJournalDirs(snapshot(root), before)).toEqual(before);
    expect(readFileSync(file, 'utf8')).toBe(original);
  });

  it('applied twice: the rule already holds, the file stays byte for byte as the first apply left it', async () => {
    const { root } = await privateConfTree();
    const first = await requestFor(root, 'looking-glass', OPTIONS);
    expect(helper(['--root', root, 'apply'], first.input).status).toBe(0);
    const once = readFileSync(path.join(root, QEMU_CONF), 'utf8');
    const second = await requestFor(root, 'looking-glass', OPTIONS);
    expect(second.plan.steps.map((s) => s.kind)).toContain('private-edit');
    const again = helper(['--root', root, 'apply'], second.input);
    expect(again.status, again.stdout + again.stderr).toBe(0);
    expect(readFileSync(path.join(root, QEMU_CONF), 'utf8')).toBe(once);
  });

  it('refuses when the machine changed since review: the file became readable (the review would show its lines)', async () => {
    const { root } = await privateConfTree();
    const { input } = await requestFor(root, 'looking-glass', OPTIONS);
    chmodSync(path.join(root, QEMU_CONF), 0o644);
    const before = snapshot(root);
    const r = helper(['--root', root, 'apply'], input);
    expect(r.status).toBe(2);
    expect(errorCode(r)).toBe('machine-changed');
    expect(withoutJournalDirs(snapshot(root), before)).toEqual(before);
  });

  it('refuses when the machine changed since review: another file the plan writes changed', async () => {
    const { root } = await privateConfTree();
    const { input } = await requestFor(root, 'looking-glass', OPTIONS);
    writeFileSync(path.join(root, 'etc/udev/rules.d/99-gpu-ferry-kvmfr.rules'), '# made by hand\n');
    const before = snapshot(root);
    const r = helper(['--root', root, 'apply'], input);
    expect(errorCode(r)).toBe('machine-changed');
    expect(withoutJournalDirs(snapshot(root), before)).toEqual(before);
  });

  it('a private file the rule cannot edit is refused with a message that quotes none of its lines', async () => {
    const { root } = await privateConfTree();
    const { input } = await requestFor(root, 'looking-glass', OPTIONS);
    const file = path.join(root, QEMU_CONF);
    writeFileSync(file, `${SECRET}\ncgroup_device_acl = "Zq8-not-a-list"\n`);
    const before = snapshot(root);
    const r = helper(['--root', root, 'apply'], input);
    expect(r.status).toBe(2);
    expect(errorCode(r)).toBe('cannot-plan');
    expect(r.stdout + r.stderr).not.toContain('Zq8');
    expect(withoutJournalDirs(snapshot(root), before)).toEqual(before);
  });

  it('a computed change the guards refuse is reported without the file lines (one-line list: a changed line)', async () => {
    const { root } = await privateConfTree();
    const { input } = await requestFor(root, 'looking-glass', OPTIONS);
    writeFileSync(path.join(root, QEMU_CONF), `${SECRET}\ncgroup_device_acl = [ "/dev/null", "/dev/Zq8secretdevice" ]\n`);
    const r = helper(['--root', root, 'apply'], input);
    expect(r.status).toBe(2);
    expect(errorCode(r)).toBe('content-not-allowed');
    expect(r.stdout + r.stderr).not.toContain('Zq8');
    expect(r.stdout).toContain('only root may read this file');
  });
});
