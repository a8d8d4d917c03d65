// The libvirt hook with a real libvirtd: installed from the hook-install plan's own file contents at
// the real paths, then a real daemon restart (libvirt notices new hooks only at start).
// There is no spare GPU on a CI machine, so the configured VM names a PCI function that does not
// exist: this proves that libvirt calls our hook with the right arguments for a configured VM, that
// the runtime refuses cleanly (logged, rolled back) and that refusal blocks the start, and that libvirt's
// release after the failed start reaches the runtime too. The successful prepare → vfio-pci → release
// path of the very same hook is proven on a real kernel in test/kernel/handoff.test.ts.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handoffConfigPath, renderHandoffConfig } from '../../shared/handoff/config';
import { planHookInstall } from '../../shared/handoff/plan-hook-install';
import { parseHandoffLog, lastHandoff } from '../../shared/handoff/timeline';
import { handoffLogPath } from '../../electron/system/handoff-log';
import type { HostModel } from '../../shared/host/model';

const URI = 'qemu:///system';
const CONFIGURED = 'gft-hook Jeux vidéo';
const OTHER = 'gft-hook-other';
const MISSING_PCI = '0000:ee:1f.7';

const virsh = (...args: string[]) => spawnSync('virsh', ['-q', '-c', URI, ...args], { encoding: 'utf8', timeout: 300000 });
const domainXml = (name: string) =>
  `<domain type='qemu'><name>${name}</name><memory unit='MiB'>64</memory><vcpu>1</vcpu>` +
  `<os><type arch='x86_64' machine='pc'>hvm</type></os><devices><video><model type='none'/></video></devices></domain>`;
const events = (vm: string) => (existsSync(handoffLogPath(vm)) ? parseHandoffLog(readFileSync(handoffLogPath(vm), 'utf8')).events : []);
const backups: [string, string][] = [];

// Backups live outside the hook directory: libvirt runs EVERY executable in qemu.d/, a backup included.
const backupDir = mkdtempSync(path.join(tmpdir(), 'gft-hook-backup-'));

function install(file: string, content: string, mode: number): void {
  if (existsSync(file)) {
    const backup = path.join(backupDir, String(backups.length));
    copyFileSync(file, backup);
    backups.push([file, backup]);
  }
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, content);
  chmodSync(file, mode);
}

beforeAll(() => {
  // The plan's file steps, written as the helper would write them (its own tier tests the helper).
  const host = { libvirt: { qemuDispatcher: false, libvirtd: true }, commands: [], files: {}, os: { id: 'debian', idLike: [] } } as unknown as HostModel;
  for (const step of planHookInstall(host).steps) if (step.kind === 'write-file') install(step.path, step.content, step.mode);
  install(handoffConfigPath(CONFIGURED), renderHandoffConfig({ vm: CONFIGURED, mode: 'dual-gpu', devices: [MISSING_PCI], modules: [], displayManager: null,
    session: 'wait', holders: 'refuse', timeoutStopSeconds: 5, timeoutDeviceSeconds: 2 }), 0o644);
  for (const vm of [CONFIGURED, OTHER]) { rmSync(handoffLogPath(vm), { force: true }); virsh('destroy', vm); virsh('undefine', vm); }
  execFileSync('bash', ['test/lib/libvirtd.sh', 'restart'], { stdio: 'inherit' });
  for (const vm of [CONFIGURED, OTHER]) {
    const xml = path.join(backupDir, 'domain.xml');
    writeFileSync(xml, domainXml(vm));
    const r = virsh('define', xml);
    if (r.status !== 0) throw new Error(`define ${vm}: ${r.stderr}`);
  }
}, 900000);

afterAll(() => {
  for (const vm of [CONFIGURED, OTHER]) { virsh('destroy', vm); virsh('undefine', vm); }
  // The hook and runtime stay installed (inert without a config; removing a hook needs another daemon
  // restart under the other tests' feet). The test's config goes; replaced files come back.
  rmSync(handoffConfigPath(CONFIGURED), { force: true });
  for (const [file, backup] of backups) copyFileSync(backup, file);
  rmSync(backupDir, { recursive: true, force: true });
}, 900000);

describe('the installed hook under a real libvirtd', () => {
  it('a configured VM: prepare runs with libvirt’s arguments, refuses the missing device, and the start is blocked', () => {
    const r = virsh('start', CONFIGURED);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/hook/i);
    const ev = events(CONFIGURED);
    const fail = ev.find((e) => e.phase === 'prepare' && e.status === 'fail' && e.step !== 'prepare');
    expect(fail?.step).toBe('driver-unbind');
    expect(fail?.message).toBe(`no such PCI device: ${MISSING_PCI}`);
    expect(ev.some((e) => e.phase === 'rollback' && e.step === 'rollback' && e.status === 'done')).toBe(true);
    expect(virsh('domstate', CONFIGURED).stdout.trim()).toBe('shut off');
  }, 900000);

  it('libvirt’s release after the failed start reaches the runtime (nothing left to undo)', () => {
    const ev = events(CONFIGURED);
    const last = ev.at(-1);
    expect(last?.phase).toBe('release');
    expect(last?.status).toBe('skip');
    // Once per libvirt event: one prepare run, one release run.
    expect(ev.filter((e) => e.step === 'prepare' && e.status === 'start')).toHaveLength(1);
    expect(ev.filter((e) => e.step === 'release')).toHaveLength(1);
    expect(lastHandoff(ev).prepare?.outcome).toBe('failed');
    expect(existsSync(`/run/gpu-ferry/${handoffConfigPath(CONFIGURED).split('/').pop()?.replace(/\.conf$/, '')}.state`)).toBe(false);
  });

  it('a VM without a handoff config starts and is destroyed normally; the hook writes nothing for it', () => {
    expect(virsh('start', OTHER).status).toBe(0);
    expect(virsh('domstate', OTHER).stdout.trim()).toBe('running');
    expect(virsh('destroy', OTHER).status).toBe(0);
    expect(existsSync(handoffLogPath(OTHER))).toBe(false);
  }, 900000);

  it('reconnect: a daemon restart with a running VM calls the hook with reconnect and the VM keeps running', () => {
    expect(virsh('start', OTHER).status).toBe(0);
    const before = events(CONFIGURED).length;
    execFileSync('bash', ['test/lib/libvirtd.sh', 'restart'], { stdio: 'inherit' });
    expect(virsh('domstate', OTHER).stdout.trim()).toBe('running');
    expect(events(CONFIGURED).length).toBe(before);
    expect(virsh('destroy', OTHER).status).toBe(0);
  }, 900000);
});
