// Creates a new VM's disk image. Where the person may write the disk's folder, qemu-img runs as them;
// otherwise (the default /var/lib/libvirt/images is root's, and a person in the libvirt group manages
// VMs through libvirtd, not by writing there) libvirtd creates it as a volume of the storage pool for
// that folder, through a transient pool when none is defined (it leaves no configuration behind).
import { spawn } from 'node:child_process';
import { constants } from 'node:fs';
import { access, rm } from 'node:fs/promises';
import path from 'node:path';
import { virsh, type VirshOptions } from './virsh';

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
    const xml = await virsh(['pool-dumpxml', '--', name], options);
    const target = /<target>[\s\S]*?<path>([^<]*)<\/path>/.exec(xml)?.[1];
    if (target && path.resolve(target) === dir) return name;
  }
  return null;
}

async function createThroughLibvirt(disk: string, size: string, options: VirshOptions): Promise<void> {
  const dir = path.dirname(disk);
  let pool = await poolFor(dir, options);
  let transient = false;
  if (pool === null) {
    pool = `gpu-ferry-disk-${process.pid}`;
    await virsh(['pool-create-as', '--name', pool, '--type', 'dir', '--target', dir], options);
    transient = true;
  } else if (!/State:\s+running/.test(await virsh(['pool-info', '--', pool], options))) {
    await virsh(['pool-start', '--', pool], options);
  }
  try {
    await virsh(
      [
        'vol-create-as',
        '--pool',
        pool,
        '--name',
        path.basename(disk),
        '--capacity',
        size,
        '--format',
        'qcow2',
      ],
      options,
    );
  } finally {
    if (transient) await virsh(['pool-destroy', '--', pool], options).catch(() => undefined);
  }
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
  else await createThroughLibvirt(disk, size, options);
  return disk;
}

/** Removes a disk created by createDisk after a failed define (best effort: libvirtd's files may not be ours). */
export async function removeCreatedDisk(disk: string, options: VirshOptions): Promise<void> {
  await rm(disk, { force: true }).catch(() =>
    virsh(['vol-delete', '--', disk], options).catch(() => undefined),
  );
}
