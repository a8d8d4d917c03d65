// As real root, as pkexec runs it: the Looking Glass goal on a machine whose /etc/libvirt/qemu.conf only
// root may read (0600 root:root, as Debian's libvirt-daemon-system leaves it). The request is computed as
// an unprivileged user (nobody, who cannot read the file), root computes the same plan, checks the
// fingerprint, computes the file's new bytes from the reviewed rule, backs it up and applies; undo puts it
// back. A private mount namespace lays overlays on /etc and /usr/bin (writes land in temporary upper
// directories; udevadm and systemctl there are stand-ins that record their argv) and binds a temporary
// /var/lib, so nothing real changes. Needs root (CI runs the tiers as root).
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildSync } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { effectiveDeviceAcl } from '../../shared/lg/qemu-conf';
import type { Step } from '../../shared/plan/model';
import { errorCode, lines, NOBODY, PRIVILEGED, removeTree } from './lib';

const isRoot = process.getuid?.() === 0;
const QEMU_CONF = '/etc/libvirt/qemu.conf';
const SECRET = 'spice_password = "Zq8-only-root-reads-this"';
const ORIGINAL = `# qemu.conf as the distribution ships it, with a password only root may read\n#cgroup_device_acl = [\n#    "/dev/null", "/dev/full", "/dev/zero",\n#    "/dev/random", "/dev/urandom",\n#    "/dev/ptmx", "/dev/kvm"\n#]\n${SECRET}\n`;
const OPTIONS = JSON.stringify({ vm: 'win11', resolution: '2560x1440' });
const STAND_IN = (name: string) => `#!/bin/sh\necho "${name} $*" >>/var/lib/fake-calls\n`;

const dirs: string[] = [];
const temp = (name: string): string => {
  const d = mkdtempSync(path.join(tmpdir(), `gpu-ferry-real-${name}-`));
  chmodSync(d, 0o755);
  dirs.push(d);
  return d;
};
let requestScript = '';
beforeAll(() => {
  if (!isRoot) return;
  const out = path.join(temp('caller'), 'request-as-caller.cjs');
  buildSync({ entryPoints: [path.join(__dirname, 'support/request-as-caller.ts')], bundle: true, platform: 'node', format: 'cjs', target: 'node18', outfile: out, logLevel: 'error' });
  chmodSync(out, 0o644);
  requestScript = out;
});
afterAll(() => dirs.forEach(removeTree));

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** A machine: /etc and /usr/bin overlays (their upper directories) and /var/lib, kept between runs. */
function machine() {
  const etc = temp('etc');
  const bin = temp('bin');
  const varLib = temp('varlib');
  const work = temp('work');
  for (const d of ['etc', 'bin']) mkdirSync(path.join(work, d));
  mkdirSync(path.join(etc, 'libvirt'), { mode: 0o755 });
  writeFileSync(path.join(etc, 'libvirt/qemu.conf'), ORIGINAL, { mode: 0o600 });
  for (const name of ['udevadm', 'systemctl']) writeFileSync(path.join(bin, name), STAND_IN(name), { mode: 0o755 });
  const mounts = [
    'mount -t overlay overlay -o "lowerdir=/etc,upperdir=$1,workdir=$4/etc" /etc',
    'mount -t overlay overlay -o "lowerdir=/usr/bin,upperdir=$2,workdir=$4/bin" /usr/bin',
    'mount --bind "$3" /var/lib',
  ].join(' && ');
  const inside = (argv: string[], input = ''): Run => {
    const r = spawnSync('unshare', ['-m', '--propagation', 'private', 'bash', '-c', `${mounts} && shift 4 && exec setsid "$@"`, 'ns', etc, bin, varLib, work, ...argv], { input, encoding: 'utf8', env: {} });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  /** The app's side: the request computed as nobody, and whether nobody could read qemu.conf. */
  const review = (): { request: string; steps: Step[]; readable: Record<string, boolean> } => {
    const r = inside(['setpriv', `--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', process.execPath, requestScript, 'looking-glass', OPTIONS, QEMU_CONF]);
    if (r.status !== 0) throw new Error(`computing the request as nobody failed: ${r.stderr}`);
    return JSON.parse(r.stdout) as { request: string; steps: Step[]; readable: Record<string, boolean> };
  };
  const privileged = (args: string[], input = '') => {
    const r = inside([process.execPath, PRIVILEGED, ...args], input);
    return { ...r, events: lines(r.stdout) };
  };
  const calls = (): string[] => (existsSync(path.join(varLib, 'fake-calls')) ? readFileSync(path.join(varLib, 'fake-calls'), 'utf8').trim().split('\n') : []);
  return { etc, varLib, review, privileged, calls, conf: path.join(etc, 'libvirt/qemu.conf') };
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
