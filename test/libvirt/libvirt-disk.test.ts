// A new VM's disk made by libvirtd, for folders the person may not write (the default
// /var/lib/libvirt/images): through a transient pool when no pool serves the folder (none is left
// behind), or through the defined pool that does, started if it is not. Folder and file names with & and
// spaces are data (virsh's pool-create-as/vol-create-as broke on them). No domain is defined here.
import { execFileSync } from 'node:child_process';
import { access, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDiskThroughLibvirt, deleteDiskThroughLibvirt, removeCreatedDisk } from '../../electron/system/libvirt-disk';
import { virsh, withXmlFile } from '../../electron/system/virsh';
import { ensureLibvirtd } from './ensure-daemon';

const system = { uri: 'qemu:///system' };
const POOL = 'gpu-ferry-test-disk-pool';
let work = '';

const exists = (file: string) =>
  access(file).then(
    () => true,
    () => false,
  );

async function dropPool(): Promise<void> {
  await virsh(['pool-destroy', '--', POOL], system).catch(() => undefined);
  await virsh(['pool-undefine', '--', POOL], system).catch(() => undefined);
}

async function poolsTargeting(dir: string): Promise<string[]> {
  const names = (await virsh(['pool-list', '--all', '--name'], system))
    .split('\n')
    .map((s) => s.trim())
    .filter(Boolean);
  const found: string[] = [];
  for (const name of names)
    if (
      (await virsh(['pool-dumpxml', '--', name], system)).includes(path.basename(dir).replace(/&/g, '&amp;'))
    )
      found.push(name);
  return found;
}

function imageInfo(file: string): { format: string; 'virtual-size': number } {
  return JSON.parse(
    execFileSync('qemu-img', ['info', '--output=json', '--', file], { encoding: 'utf8' }),
  ) as { format: string; 'virtual-size': number };
}

beforeAll(async () => {
  ensureLibvirtd();
  await dropPool(); // a leftover of an interrupted run
  // A folder name with a space and an ampersand: data, and written &amp; in the pool's XML.
  work = path.join(await mkdtemp(path.join(os.tmpdir(), 'gpu-ferry-disk-')), 'Jeux & vidéo');
  execFileSync('mkdir', ['--', work]);
});

afterAll(async () => {
  await dropPool();
  if (work) await rm(path.dirname(work), { recursive: true, force: true });
});

describe('createDiskThroughLibvirt on the real daemon', () => {
  it('makes a qcow2 of the asked size through a transient pool and leaves no pool behind', async () => {
    const disk = path.join(work, 'win & 11.qcow2');
    await createDiskThroughLibvirt(disk, '1G', system);
    expect(imageInfo(disk)).toMatchObject({ format: 'qcow2', 'virtual-size': 1024 ** 3 });
    expect(await poolsTargeting(work)).toEqual([]);
    await removeCreatedDisk(disk, system);
    expect(await exists(disk)).toBe(false);
  }, 120_000);

  it('uses the defined pool whose target is the folder, starting it first', async () => {
    const poolXml = `<pool type='dir'><name>${POOL}</name><target><path>${work.replace(/&/g, '&amp;')}</path></target></pool>`;
    await withXmlFile(poolXml, (file) => virsh(['pool-define', '--file', file], system));
    const disk = path.join(work, 'second.qcow2');
    await createDiskThroughLibvirt(disk, '2G', system);
    expect(imageInfo(disk)).toMatchObject({ format: 'qcow2', 'virtual-size': 2 * 1024 ** 3 });
    expect(await virsh(['pool-info', '--', POOL], system)).toMatch(/State:\s+running/);
    expect(await virsh(['vol-list', '--', POOL], system)).toContain('second.qcow2');
    expect(await poolsTargeting(work)).toEqual([POOL]); // no transient pool beside it
  }, 120_000);

  it('deletes a volume libvirtd made, through a transient pool when none is defined for the folder', async () => {
    await dropPool();
    const disk = path.join(work, 'third & last.qcow2');
    await createDiskThroughLibvirt(disk, '1G', system);
    expect(await exists(disk)).toBe(true);
    await deleteDiskThroughLibvirt(disk, system);
    expect(await exists(disk)).toBe(false);
    expect(await poolsTargeting(work)).toEqual([]);
  }, 120_000);
});
