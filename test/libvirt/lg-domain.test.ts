// Looking Glass against the real libvirt: generated domain XML validates with libvirt's own schemas,
// and a software-emulated VM with the shm variant starts and gets /dev/shm/looking-glass of the right size.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addLookingGlass } from '../../shared/lg/domain';
import { lgSizeMiB } from '../../shared/lg/size';
import { applyDomainChange, previewDomainChange } from '../../electron/system/looking-glass-domain';

const URI = 'qemu:///system';
const VM = 'gpu-ferry-test-lg-shm';
const VM2 = 'gpu-ferry-test-lg-adapter';
/** The shared daemon can be slow on a busy 2-core machine: give each virsh call up to 4 minutes. */
const slow = { timeoutMs: 240_000 };
const SHM = '/dev/shm/looking-glass';
const work = mkdtempSync(path.join(tmpdir(), 'gpu-ferry-lg-'));
// -q as the adapter runs virsh (without it, dumpxml output gains a trailing blank line).
// Generous per-call limit: libvirtd is shared with other test files on a 2-core machine.
const virsh = (...args: string[]) => spawnSync('virsh', ['-q', '-c', URI, ...args], { encoding: 'utf8', timeout: 240_000 });

const baseDomain = (name: string): string => `<domain type='qemu'>
  <name>${name}</name>
  <memory unit='MiB'>128</memory>
  <vcpu>1</vcpu>
  <os>
    <type arch='x86_64' machine='q35'>hvm</type>
  </os>
  <devices>
    <emulator>/usr/bin/qemu-system-x86_64</emulator>
    <graphics type='vnc' autoport='yes' listen='127.0.0.1'/>
  </devices>
</domain>
`;

function validate(xml: string, name: string): { status: number | null; output: string } {
  const file = path.join(work, `${name}.xml`);
  writeFileSync(file, xml);
  const result = spawnSync('virt-xml-validate', [file, 'domain'], { encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('Looking Glass domain XML validates with virt-xml-validate', () => {
  const virtManager = readFileSync(new URL('../fixtures/libvirt/win11-virt-manager.xml', import.meta.url), 'utf8');
  const cases: [string, string][] = [
    ['kvmfr-json', addLookingGlass(virtManager, { mode: 'kvmfr', sizeMiB: 64, qemuVersion: '8.2.2', libvirtVersion: '10.0.0' })],
    ['kvmfr-legacy', addLookingGlass(baseDomain('lg-legacy'), { mode: 'kvmfr', sizeMiB: 32, qemuVersion: '6.1.0', libvirtVersion: '7.6.0' })],
    ['shm', addLookingGlass(virtManager, { mode: 'shm', sizeMiB: 128, qemuVersion: null, libvirtVersion: null })],
    ['shm-minimal', addLookingGlass(baseDomain('lg-shm'), { mode: 'shm', sizeMiB: 32, qemuVersion: null, libvirtVersion: null })],
  ];
  it.each(cases)('%s', (name, xml) => {
    const { status, output } = validate(xml, name);
    expect(output).toMatch(/validates/);
    expect(status).toBe(0);
  });

  it('the validator really checks: a broken shmem is refused', () => {
    const broken = addLookingGlass(baseDomain('lg-bad'), { mode: 'shm', sizeMiB: 32, qemuVersion: null, libvirtVersion: null }).replace(
      "<model type='ivshmem-plain'/>",
      "<model type='no-such-model'/>",
    );
    expect(validate(broken, 'broken').status).not.toBe(0);
  });
});

describe('a real libvirtd starts a VM with the shm variant', () => {
  let shmExistedBefore = false;
  beforeAll(() => {
    execFileSync('bash', ['test/lib/libvirtd.sh', 'ensure'], { stdio: 'inherit' });
    for (const name of [VM, VM2]) {
      virsh('destroy', name);
      virsh('undefine', name);
    }
    shmExistedBefore = existsSync(SHM);
  }, 300_000);
  afterAll(() => {
    for (const name of [VM, VM2]) {
      virsh('destroy', name);
      virsh('undefine', name);
    }
    if (!shmExistedBefore) rmSync(SHM, { force: true });
    rmSync(work, { recursive: true, force: true });
  }, 600_000);

  it('defines, starts, creates /dev/shm/looking-glass with the planned size, destroys', () => {
    const sizeMiB = lgSizeMiB({ width: 1920, height: 1080 });
    expect(sizeMiB).toBe(32);
    const xml = addLookingGlass(baseDomain(VM), { mode: 'shm', sizeMiB, qemuVersion: null, libvirtVersion: null });
    const file = path.join(work, `${VM}.xml`);
    writeFileSync(file, xml);
    expect(validate(xml, VM).status).toBe(0);
    const define = virsh('define', file);
    expect(define.stderr).toBe('');
    const start = virsh('start', VM);
    expect(start.stderr).toBe('');
    expect(virsh('domstate', VM).stdout.trim()).toBe('running');
    // libvirt's own view of the device it created:
    expect(virsh('dumpxml', VM).stdout).toMatch(/<shmem name='looking-glass'>\s*<model type='ivshmem-plain'\/>\s*<size unit='M'>32<\/size>/);
    expect(existsSync(SHM)).toBe(true);
    expect(statSync(SHM).size).toBe(sizeMiB * 1024 * 1024);
    expect(virsh('destroy', VM).status).toBe(0);
    expect(virsh('domstate', VM).stdout.trim()).toBe('shut off');
  }, 900_000);

  it('the adapter edits a defined VM through libvirt: shm, then kvmfr in the JSON form, then removal', async () => {
    const file = path.join(work, `${VM2}.xml`);
    writeFileSync(file, baseDomain(VM2));
    expect(virsh('define', file).status).toBe(0);
    const dataDir = path.join(work, 'data');
    const original = virsh('dumpxml', '--inactive', VM2).stdout;

    const shm = await previewDomainChange(VM2, { mode: 'shm', sizeMiB: 64 }, slow);
    expect(shm.before).toBe(original);
    const backup = await applyDomainChange(shm, { dataDir, ...slow });
    expect(backup && readFileSync(backup, 'utf8')).toBe(original);
    expect(virsh('dumpxml', '--inactive', VM2).stdout).toMatch(/<shmem name='looking-glass'>\s*<model type='ivshmem-plain'\/>\s*<size unit='M'>64<\/size>/);

    // Debian 12: libvirt 9.0 with QEMU 7.2 takes the JSON form; libvirt keeps it and the shmem is replaced.
    const kvmfr = await previewDomainChange(VM2, { mode: 'kvmfr', sizeMiB: 64 }, slow);
    await applyDomainChange(kvmfr, { dataDir, ...slow });
    const defined = virsh('dumpxml', '--inactive', VM2).stdout;
    expect(defined).not.toContain('<shmem');
    expect(defined).toMatch(/xmlns:qemu=.http:\/\/libvirt.org\/schemas\/domain\/qemu\/1.0/);
    const values = [...defined.matchAll(/<qemu:arg value=(['"])(.*?)\1\/>/g)].map((m) => (m[2] ?? '').replace(/&quot;/g, '"'));
    expect(values[0]).toBe('-device');
    expect(JSON.parse(values[1] ?? '')).toMatchObject({ driver: 'ivshmem-plain', memdev: 'looking-glass' });
    expect(values[2]).toBe('-object');
    expect(JSON.parse(values[3] ?? '')).toMatchObject({ 'mem-path': '/dev/kvmfr0', size: 64 * 1024 * 1024, share: true });

    const removal = await previewDomainChange(VM2, { mode: 'remove', sizeMiB: 0 }, slow);
    await applyDomainChange(removal, { dataDir, ...slow });
    const cleaned = virsh('dumpxml', '--inactive', VM2).stdout;
    expect(cleaned).not.toContain('qemu:arg');
    expect(cleaned).not.toContain('<shmem');
    expect(cleaned).not.toContain('xmlns:qemu');
    // libvirt may keep PCI controllers it added for the device, so compare what was ours to keep.
    expect(cleaned).toContain(`<name>${VM2}</name>`);
    expect(cleaned).toContain('<emulator>/usr/bin/qemu-system-x86_64</emulator>');
    expect(cleaned).toMatch(/<graphics type='vnc'/);
  }, 900_000);
});
