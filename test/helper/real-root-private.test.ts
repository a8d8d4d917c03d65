// As real root, as pkexec runs it: the Looking Glass goal on a machine whose /etc/libvirt/qemu.conf only
// root may read (0600 root:root, as Debian's libvirt-daemon-system leaves it). The request is computed as
// an unprivileged user (nobody, who cannot read the file), root computes the same plan, checks the
// fingerprint, computes the file's new bytes from the reviewed rule, backs it up and applies; undo puts it
// back. The machine is overlay-machine.ts (overlays on /etc and /usr/bin, udevadm and systemctl stand-ins,
// a temporary /var/lib): nothing real changes. Needs root (CI runs the tiers as root).
import { chmodSync, readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { effectiveDeviceAcl } from '../../shared/lg/qemu-conf';
import { errorCode, removeOpenDirs } from './lib';
import { overlayMachine } from './overlay-machine';

const isRoot = process.getuid?.() === 0;
const QEMU_CONF = '/etc/libvirt/qemu.conf';
const SECRET = 'spice_password = "Zq8-only-root-reads-this"';
const ORIGINAL = `# qemu.conf as the distribution ships it, with a password only root may read\n#cgroup_device_acl = [\n#    "/dev/null", "/dev/full", "/dev/zero",\n#    "/dev/random", "/dev/urandom",\n#    "/dev/ptmx", "/dev/kvm"\n#]\n${SECRET}\n`;
const OPTIONS = { vm: 'win11', resolution: '2560x1440' };
afterAll(removeOpenDirs);

function machine() {
  const m = overlayMachine({ etc: { 'libvirt/qemu.conf': { content: ORIGINAL, mode: 0o600 } }, programs: ['udevadm', 'systemctl'] });
  return { ...m, review: () => m.review('looking-glass', OPTIONS, [QEMU_CONF]), conf: path.join(m.etc, 'libvirt/qemu.conf') };
}

describe.runIf(isRoot)('Looking Glass as real root with a qemu.conf only root may read', () => {
  it('reviewed by nobody, computed and applied by root from the rule, with a backup; undo restores it', () => {
    const m = machine();
    const reviewed = m.review();
    expect(reviewed.readable[QEMU_CONF]).toBe(false);
    const at = reviewed.steps.findIndex((s) => s.kind === 'private-edit');
    expect(reviewed.steps[at]).toEqual(expect.objectContaining({ path: QEMU_CONF, rule: { kind: 'qemu-cgroup-device', device: '/dev/kvmfr0' } }));
    expect(JSON.stringify(reviewed)).not.toContain('Zq8');

    const applied = m.privileged(['apply'], reviewed.request);
    expect(applied.status, applied.stdout + applied.stderr).toBe(0);
    expect(applied.stdout + applied.stderr).not.toContain('Zq8');
    const after = readFileSync(m.conf, 'utf8');
    expect(effectiveDeviceAcl(after)).toEqual(['/dev/null', '/dev/full', '/dev/zero', '/dev/random', '/dev/urandom', '/dev/ptmx', '/dev/kvm', '/dev/kvmfr0']);
    expect(after.startsWith(ORIGINAL.slice(0, ORIGINAL.indexOf(SECRET)))).toBe(true);
    expect(after).toContain(`${SECRET}\n`);
    const st = statSync(m.conf);
    expect({ uid: st.uid, gid: st.gid, mode: st.mode & 0o7777 }).toEqual({ uid: 0, gid: 0, mode: 0o600 });
    const journal = path.join(m.varLib, 'gpu-ferry/journal');
    const [entry] = readdirSync(journal).filter((e) => !e.startsWith('.'));
    expect(readFileSync(path.join(journal, entry!, `f${at}.old`), 'utf8')).toBe(ORIGINAL);
    expect(statSync(path.join(journal, entry!, `f${at}.old`)).mode & 0o777).toBe(0o600);
    // The commands of the plan ran as root: udev reloaded, libvirt restarted to read qemu.conf.
    expect(m.calls()).toEqual(['udevadm control --reload', expect.stringMatching(/^systemctl restart (-- )?(libvirtd|virtqemud)\.service$/)]);

    const undone = m.privileged(['undo', 'last']);
    expect(undone.status, undone.stdout + undone.stderr).toBe(0);
    expect(readFileSync(m.conf, 'utf8')).toBe(ORIGINAL);
    expect(statSync(m.conf).mode & 0o7777).toBe(0o600);
    // Undo runs udev's reload again and restarts libvirt again, so both read the restored files.
    const [reload, restart] = m.calls();
    expect(m.calls()).toEqual([reload, restart, reload, restart]);
    expect(existsSync(path.join(m.etc, 'udev/rules.d/99-gpu-ferry-kvmfr.rules'))).toBe(false);
  });

  it('refuses when the machine changed since the review (the file became readable), and changes nothing', () => {
    const m = machine();
    const reviewed = m.review();
    chmodSync(m.conf, 0o644);
    const r = m.privileged(['apply'], reviewed.request);
    expect(r.status, r.stdout + r.stderr).toBe(2);
    expect(errorCode(r)).toBe('machine-changed');
    expect(readFileSync(m.conf, 'utf8')).toBe(ORIGINAL);
    expect(m.calls()).toEqual([]);
  });
});
