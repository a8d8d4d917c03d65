// Who is using a GPU right now: processes with one of its device nodes open (/dev/dri/cardN and
// renderDN of that card, and for the NVIDIA driver its /dev/nvidiaN plus the driver's shared nodes).
// Read from <root>/proc/*/fd, so tests can point it at a prepared tree. Without root we only see our
// own processes; `unreadable` counts the others so the UI can say the list may be incomplete.
import { readdir, readFile, readlink } from 'node:fs/promises';
import path from 'node:path';
import type { GpuHolder } from '../../shared/vm/preflight';

const NVIDIA_SHARED = ['/dev/nvidiactl', '/dev/nvidia-modeset', '/dev/nvidia-uvm', '/dev/nvidia-uvm-tools'];

async function entries(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch {
    return [];
  }
}

/** Device nodes that belong to the GPU at `address` (paths as seen inside the host, e.g. /dev/dri/card1). */
export async function gpuDeviceNodes(root: string, address: string, driver: string | null): Promise<string[]> {
  const nodes = (await entries(path.join(root, 'sys/bus/pci/devices', address, 'drm')))
    .filter((n) => /^(card|renderD)\d+$/.test(n))
    .map((n) => `/dev/dri/${n}`);
  if (driver === 'nvidia') {
    const info = await readFile(path.join(root, 'proc/driver/nvidia/gpus', address, 'information'), 'utf8').catch(() => '');
    const minor = /Device Minor:\s*(\d+)/.exec(info)?.[1] ?? null;
    if (minor !== null) nodes.push(`/dev/nvidia${minor}`);
    else for (const n of await entries(path.join(root, 'dev'))) if (/^nvidia\d+$/.test(n)) nodes.push(`/dev/${n}`);
    nodes.push(...NVIDIA_SHARED);
  }
  return nodes.sort();
}

export interface HolderScan {
  holders: GpuHolder[];
  /** Processes whose open files we could not read (other users' when not root). */
  unreadable: number;
}

/** Processes under <root>/proc holding any of `devices` open. */
export async function findHolders(root: string, devices: string[]): Promise<HolderScan> {
  const wanted = new Set(devices);
  const holders: GpuHolder[] = [];
  let unreadable = 0;
  if (wanted.size === 0) return { holders, unreadable };
  const proc = path.join(root, 'proc');
  for (const pidText of await entries(proc)) {
    if (!/^\d+$/.test(pidText)) continue;
    const pid = Number(pidText);
    let fds: string[];
    try {
      fds = await readdir(path.join(proc, pidText, 'fd'));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') unreadable++;
      continue;
    }
    const held = new Set<string>();
    for (const fd of fds) {
      try {
        const target = await readlink(path.join(proc, pidText, 'fd', fd));
        if (wanted.has(target)) held.add(target);
      } catch {
        // The fd closed while we looked: not a holder.
      }
    }
    if (held.size === 0) continue;
    let name = `pid ${pid}`;
    try {
      name = (await readFile(path.join(proc, pidText, 'comm'), 'utf8')).trim() || name;
    } catch {
      // Process ended; keep the pid.
    }
    for (const device of [...held].sort()) holders.push({ pid, name, device });
  }
  return { holders: holders.sort((a, b) => a.pid - b.pid || a.device.localeCompare(b.device)), unreadable };
}
