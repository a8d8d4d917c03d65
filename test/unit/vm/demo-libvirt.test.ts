// The demo's file-backed libvirt, through the real virsh adapter and libvirt's test driver: every step
// below is a separate virsh process, so what it sees is only what the file remembered.
import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDemoLibvirt, DEMO_LIBVIRT_FILE, demoLibvirtFile, isDemoLibvirt, virshConnection } from '../../../electron/system/demo-libvirt';
import {
  defineXml,
  destroyDomain,
  domainState,
  dumpXml,
  listDomains,
  shutdownDomain,
  startDomain,
  undefineDomain,
  VirshError,
} from '../../../electron/system/virsh';

let dir: string;
let uri: string;
let file: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'gpu-ferry-demo-libvirt-test-'));
  uri = await createDemoLibvirt(dir);
  file = path.join(dir, DEMO_LIBVIRT_FILE);
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const options = () => virshConnection(uri);
const newVm = (name: string) =>
  `<?xml version="1.0"?>\n<!-- made by a test -->\n<domain type='kvm'>\n  <name>${name}</name>\n  <memory unit='MiB'>512</memory>\n  <vcpu>2</vcpu>\n` +
  `  <os><type arch='x86_64' machine='q35'>hvm</type></os>\n  <devices>\n    <interface type='network'><source network='default'/></interface>\n  </devices>\n</domain>\n`;

describe('createDemoLibvirt', () => {
  it('seeds one shut-off Windows VM that libvirt itself reads from the file', async () => {
    expect(uri).toBe(`test://${file}`);
    expect(path.isAbsolute(file)).toBe(true);
    expect(await listDomains(options())).toEqual([{ name: 'win11', state: 'shut off' }]);
    const xml = await dumpXml('win11', options());
    expect(xml).toContain("<domain type='kvm'>");
    expect(xml).toContain('<uuid>6f1c2a8e-4b3d-4c5e-9a7f-0d1e2f3a4b5c</uuid>');
    expect(xml).toContain("<memory unit='KiB'>8388608</memory>");
    expect(xml).toContain('>4</vcpu>');
    expect(xml).toContain("machine='q35'");
    expect(xml).toContain("<source file='/var/lib/libvirt/images/win11.qcow2'/>");
    expect(xml).toContain("bus='virtio'");
    expect(xml).not.toContain('<hostdev');
  });
});

describe('isDemoLibvirt', () => {
  it('is true only for a test driver file named like the demo file', () => {
    expect(isDemoLibvirt(uri)).toBe(true);
    expect(demoLibvirtFile(uri)).toBe(file);
    expect(isDemoLibvirt('test:///default')).toBe(false);
    expect(isDemoLibvirt('test:///tmp/other.xml')).toBe(false);
    expect(isDemoLibvirt(`qemu:///system`)).toBe(false);
    expect(isDemoLibvirt(`qemu+ssh://host/${DEMO_LIBVIRT_FILE}`)).toBe(false);
    expect(isDemoLibvirt(`test:///tmp/${DEMO_LIBVIRT_FILE}.bak`)).toBe(false);
  });
});

describe('the demo libvirt remembers across virsh calls', () => {
  it('start, shutdown, start, destroy', async () => {
    await startDomain('win11', options());
    expect(await domainState('win11', options())).toBe('running');
    await shutdownDomain('win11', options());
    expect(await domainState('win11', options())).toBe('shut off');
    await startDomain('win11', options());
    expect(await domainState('win11', options())).toBe('running');
    await destroyDomain('win11', options());
    expect(await domainState('win11', options())).toBe('shut off');
  });

  it('define adds a VM with a uuid and a dumpxml that stays the same across calls', async () => {
    await defineXml(newVm('gaming'), options());
    expect(await listDomains(options())).toEqual(
      expect.arrayContaining([
        { name: 'win11', state: 'shut off' },
        { name: 'gaming', state: 'shut off' },
      ]),
    );
    const first = await dumpXml('gaming', options());
    const second = await dumpXml('gaming', options());
    expect(second).toBe(first);
    expect(first).toMatch(/<uuid>[0-9a-f-]{36}<\/uuid>/);
    // A MAC address libvirt picked once, not anew per connection.
    expect(first).toMatch(/<mac address='52:54:00:[0-9a-f:]{8}'\/>/);
    // The seed VM is untouched.
    expect(await domainState('win11', options())).toBe('shut off');
  });

  it('define of an existing VM replaces it and keeps its uuid and run state', async () => {
    await startDomain('win11', options());
    const before = await dumpXml('win11', options());
    // As libvirt-apply does: the current dumpxml, edited (libvirt refuses a same-name define with another uuid).
    const changed = before.replace("<memory unit='KiB'>8388608</memory>", "<memory unit='KiB'>16777216</memory>");
    await defineXml(changed, options());
    const after = await dumpXml('win11', options());
    expect(after).toContain("<memory unit='KiB'>16777216</memory>");
    expect(after).toContain('<uuid>6f1c2a8e-4b3d-4c5e-9a7f-0d1e2f3a4b5c</uuid>');
    expect(await dumpXml('win11', options())).toBe(after);
    expect(await domainState('win11', options())).toBe('running');
    expect((await readFile(file, 'utf8')).match(/<name>win11<\/name>/g)).toHaveLength(1);
  });

  it('undefine removes the VM', async () => {
    await defineXml(newVm('spare'), options());
    await undefineDomain('spare', options());
    expect((await listDomains(options())).map((d) => d.name)).toEqual(['win11']);
    await undefineDomain('win11', options());
    expect(await listDomains(options())).toEqual([]);
  });

  it('a define the test driver rejects leaves the file unchanged', async () => {
    const before = await readFile(file, 'utf8');
    // Same name as the seed VM, another uuid: libvirt refuses.
    const clash = newVm('win11').replace('<name>win11</name>', '<name>win11</name><uuid>00000000-1111-2222-3333-444444444444</uuid>');
    await expect(defineXml(clash, options())).rejects.toBeInstanceOf(VirshError);
    await expect(defineXml('<domain type="kvm"><name>broken</name></domain>', options())).rejects.toBeInstanceOf(VirshError);
    expect(await readFile(file, 'utf8')).toBe(before);
  });

  it('a failed start (already running) changes nothing', async () => {
    await startDomain('win11', options());
    const before = await readFile(file, 'utf8');
    await expect(startDomain('win11', options())).rejects.toBeInstanceOf(VirshError);
    expect(await readFile(file, 'utf8')).toBe(before);
  });

  it('concurrent changes are all kept', async () => {
    await Promise.all([defineXml(newVm('one'), options()), defineXml(newVm('two'), options()), startDomain('win11', options())]);
    expect(await listDomains(options())).toEqual(
      expect.arrayContaining([
        { name: 'win11', state: 'running' },
        { name: 'one', state: 'shut off' },
        { name: 'two', state: 'shut off' },
      ]),
    );
  });
});

describe('changes in flight', () => {
  it('a change made while the previous one is still being recorded sees its result (one queue per file)', async () => {
    const conn = options();
    // Not awaited in between: destroy must wait for start's virsh call AND its write-back.
    await Promise.all([startDomain('win11', conn), destroyDomain('win11', conn)]);
    expect(await domainState('win11', conn)).toBe('shut off');
    await Promise.all([startDomain('win11', conn), shutdownDomain('win11', conn), startDomain('win11', conn)]);
    expect(await domainState('win11', conn)).toBe('running');
  });
});

describe('other URIs are left alone', () => {
  it('a test:///default define is forgotten as before, and no file is written', async () => {
    const before = await readFile(file, 'utf8');
    await defineXml(newVm('elsewhere'), { uri: 'test:///default' });
    expect((await listDomains({ uri: 'test:///default' })).map((d) => d.name)).not.toContain('elsewhere');
    expect(await readFile(file, 'utf8')).toBe(before);
  });

  it('a test driver file with another name is not written to', async () => {
    const other = path.join(dir, 'other.xml');
    await copyFile(file, other);
    const before = await readFile(other, 'utf8');
    await startDomain('win11', { uri: `test://${other}` });
    expect(await domainState('win11', { uri: `test://${other}` })).toBe('shut off');
    expect(await readFile(other, 'utf8')).toBe(before);
    expect(virshConnection(`test://${other}`)).toEqual({ uri: `test://${other}` }); // no write-back hook
    await undefineDomain('win11', virshConnection(`test://${other}`));
    expect(await readFile(other, 'utf8')).toBe(before);
  });
});
