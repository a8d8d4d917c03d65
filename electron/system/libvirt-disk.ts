// Creates a new VM's disk image. Where the person may write the disk's folder, qemu-img runs as them;
// otherwise (the default /var/lib/libvirt/images is root's, and a person in the libvirt group manages
// VMs through libvirtd, not by writing there) libvirtd creates it as a volume of the storage pool for
// that folder, through a transient pool when none is defined (it leaves no configuration behind).
import { spawn } from 'node:child_process';
import { constants } from 'node:fs';
import { access, rm } from 'node:fs/promises';
import path from 'node:path';
import { escapeText, findFirst, parseXml } from '../../shared/vm/domain-xml';
import { virsh, withXmlFile, type VirshOptions } from './virsh';

function run(argv: string[]): Promise<void> {
  const [program, ...args] = argv;
  if (!program) return Promise.reject(new Error('empty command'));
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', (e: NodeJS.ErrnoException) =>
      reject(e.code === 'ENOENT' ? new Error(`${program} is not installed (qemu-utils / qemu-img).`) : e),
    );
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`${argv.join(' ')} failed: ${stderr.trim()}`)),
    );
  });
}

/** The defined storage pool whose target is `dir`, or null. */
async function poolFor(dir: string, options: VirshOptions): Promise<string | null> {
  const names = (await virsh(['pool-list', '--all', '--name'], options))
    .split('\n')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const name of names) {
    const xml = parseXml(await virsh(['pool-dumpxml', '--', name], options));
    const target = findFirst(xml.root, 'target/path')?.text; // decoded: a folder named a&b is written a&amp;b
    if (target && path.resolve(target) === dir) return name;
  }
  return null;
}

/** qemu-img's size words (128G: binary units) as a libvirt capacity element. */
function capacityXml(size: string): string {
  const match = /^(\d+)([KMGT]?)$/.exec(size);
  if (!match) throw new Error(`Disk size ${JSON.stringify(size)} is not a number with K, M, G or T.`);
  return `<capacity unit='${match[2] || 'B'}'>${match[1]}</capacity>`;
}

/** Runs `use` with a running pool whose target is `dir`: the defined one (started if need be), else a transient one it removes after. */
async function inPoolFor<T>(dir: string, options: VirshOptions, use: (pool: string) => Promise<T>): Promise<T> {
  const defined = await poolFor(dir, options);
  if (defined !== null) {
    if (!/State:\s+running/.test(await virsh(['pool-info', '--', defined], options))) await virsh(['pool-start', '--', defined], options);
    return use(defined);
  }
  const pool = `gpu-ferry-disk-${process.pid}`;
  const poolXml = `<pool type='dir'><name>${pool}</name><target><path>${escapeText(dir)}</path></target></pool>`;
  await withXmlFile(poolXml, (file) => virsh(['pool-create', '--file', file], options));
  try {
    return await use(pool);
  } finally {
    await virsh(['pool-destroy', '--', pool], options).catch(() => undefined);
  }
}

/**
 * Creates `disk` (qcow2 of `size`, e.g. 128G) as a volume libvirtd writes. Pool and volume are defined from
 * XML we escape: virsh's pool-create-as and vol-create-as paste a path with & or < into XML as it is.
 */
export async function createDiskThroughLibvirt(disk: string, size: string, options: VirshOptions): Promise<void> {
  const volume = `<volume><name>${escapeText(path.basename(disk))}</name>${capacityXml(size)}<target><format type='qcow2'/></target></volume>`;
  await inPoolFor(path.resolve(path.dirname(disk)), options, (pool) =>
    withXmlFile(volume, (file) => virsh(['vol-create', '--pool', pool, '--file', file], options)),
  );
}

/** Deletes `disk` as a volume of its folder's pool (a transient one when none is defined: libvirtd wrote it). */
export async function deleteDiskThroughLibvirt(disk: string, options: VirshOptions): Promise<void> {
  await inPoolFor(path.resolve(path.dirname(disk)), options, (pool) =>
    virsh(['vol-delete', '--pool', pool, '--', path.basename(disk)], options),
  );
}

/** Runs the planned `qemu-img create -f qcow2 -- PATH SIZE`, or its libvirt equivalent where PATH's folder is not ours to write. */
export async function createDisk(argv: string[], options: VirshOptions): Promise<string> {
  const disk = argv[argv.length - 2] ?? '';
  const size = argv[argv.length - 1] ?? '';
  const writable = await access(path.dirname(disk), constants.W_OK).then(
    () => true,
    () => false,
  );
  if (writable) await run(argv);
  else await createDiskThroughLibvirt(disk, size, options);
  return disk;
}

/** Removes a disk created by createDisk after a failed define (best effort: libvirtd's files may not be ours to rm). */
export async function removeCreatedDisk(disk: string, options: VirshOptions): Promise<void> {
  await rm(disk, { force: true }).catch(() => deleteDiskThroughLibvirt(disk, options).catch(() => undefined));
}
