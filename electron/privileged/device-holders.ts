// Processes that hold a PCI device through VFIO: its IOMMU group's node /dev/vfio/<group> (a VM's QEMU
// keeps it open as long as it runs) and the device's own VFIO node /dev/vfio/devices/vfioN (iommufd).
// Every process's open files are compared with those nodes by what they are, never by a link's text, so
// no file name can pose as a node: a character device by its device number (libvirt gives each QEMU a
// private /dev where it makes the nodes again with mknod: another inode, the same device), anything else
// (a test tree's plain files) by device and inode. Only links into /dev/vfio/ (where both nodes live, root's alone) are
// followed: stat of any other open file could ask a FUSE daemon that never answers, /dev/shm included (a
// person may mount one there with allow_other). ROOT prefixes every path (a fake tree's /proc, /sys, /dev).
import { readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import path from 'node:path';
import { printable } from './output';

export interface Holder {
  pid: number;
  /** The process's name (comm), as data: shown through `printable`, never parsed. */
  name: string;
  node: string;
}

/** The VFIO nodes of ADDRESS that exist while it is on vfio-pci. */
function vfioNodes(root: string, address: string): string[] {
  const dir = `${root}/sys/bus/pci/devices/${address}`;
  const nodes: string[] = [];
  try {
    const group = path.basename(readlinkSync(`${dir}/iommu_group`));
    if (/^[0-9]{1,6}$/.test(group)) nodes.push(`/dev/vfio/${group}`);
  } catch {
    // no IOMMU group: no group node
  }
  try {
    for (const name of readdirSync(`${dir}/vfio-dev`))
      if (/^vfio[0-9]{1,6}$/.test(name)) nodes.push(`/dev/vfio/devices/${name}`);
  } catch {
    // no VFIO device node (not on vfio-pci, or a kernel without it)
  }
  return nodes;
}

/** What FILE is (a /proc fd link: the open file): a character device's number, else device and inode; or null. */
function identity(file: string): string | null {
  try {
    const s = statSync(file, { bigint: true });
    return s.isCharacterDevice() ? `char:${s.rdev}` : `${s.dev}:${s.ino}`;
  } catch {
    return null;
  }
}

const commOf = (root: string, pid: string): string => {
  try {
    return readFileSync(`${root}/proc/${pid}/comm`, 'utf8').replace(/\n$/, '');
  } catch {
    return '?';
  }
};

/** Every process holding a VFIO node of ADDRESS open, one record per process. */
export function vfioHolders(root: string, address: string): Holder[] {
  const wanted = new Map<string, string>();
  for (const node of vfioNodes(root, address)) {
    const id = identity(`${root}${node}`);
    if (id) wanted.set(id, node);
  }
  if (wanted.size === 0) return [];
  let pids: string[];
  try {
    pids = readdirSync(`${root}/proc`)
      .filter((p) => /^[0-9]{1,10}$/.test(p) && !(root === '' && Number(p) === process.pid))
      .sort((a, b) => Number(a) - Number(b));
  } catch {
    return [];
  }
  const holders: Holder[] = [];
  for (const pid of pids) {
    let fds: string[];
    try {
      fds = readdirSync(`${root}/proc/${pid}/fd`);
    } catch {
      continue; // gone meanwhile
    }
    for (const fd of fds) {
      const link = `${root}/proc/${pid}/fd/${fd}`;
      let target: string;
      try {
        target = readlinkSync(link);
      } catch {
        continue;
      }
      if (!target.startsWith(`${root}/dev/vfio/`)) continue;
      const node = wanted.get(identity(link) ?? '');
      if (node) {
        holders.push({ pid: Number(pid), name: commOf(root, pid), node });
        break;
      }
    }
  }
  return holders;
}

/** "is held open by process 4242 (qemu-system-x86) through /dev/vfio/11", or null when none holds it. */
export function heldText(holders: Holder[]): string | null {
  if (holders.length === 0) return null;
  const who = holders.map((h) => `process ${h.pid} (${printable(h.name)})`).join(', ');
  return `is held open by ${who} through ${[...new Set(holders.map((h) => h.node))].join(', ')}`;
}

/** Why ADDRESS must stay (IN_USE: guard-devices.ts's mounted filesystems and networks; or a VFIO holder), or null. */
export const inUseWhy = (root: string, inUse: Map<string, string>, address: string): string | null =>
  inUse.get(address) ?? heldText(vfioHolders(root, address));
