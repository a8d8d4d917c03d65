// Root's scan for processes holding a VF through VFIO (electron/privileged/device-holders.ts) against a
// person's FUSE mount that never answers: with user_allow_other any user may mount one with allow_other on
// a folder of their own under /dev/shm, keep a file of it open, and a stat of that fd as root then waits
// for the daemon forever (the privileged program would hang holding the journal). Only links into
// /dev/vfio/ (where both VFIO nodes live) may be followed. Runs as root: it mounts a real FUSE connection
// whose daemon never answers (a `sleep` holds /dev/fuse); a watchdog ends that daemon after a generous
// deadline so a hanging scan ends too, and the test sees it did.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import {
  closeSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { materializeHostSpec, type MaterializedRoot } from '../../../electron/host/materialize';
import { heldText, vfioHolders } from '../../../electron/privileged/device-holders';
import { holdVfioGroup, sriovHostSpec } from '../../lib/sriov-host';

const VF = '0000:01:00.1'; // IOMMU group 11 in sriovHostSpec

let tree: MaterializedRoot;
let daemon: ChildProcess;
let watchdog: ChildProcess;
let mountPoint: string;
/** Running (not ended, nor a zombie this blocked process has not reaped yet). */
const alive = (p: ChildProcess): boolean => {
  try {
    return !/^\d+ \(.*\) [ZX]/s.test(readFileSync(`/proc/${p.pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
};

beforeAll(async () => {
  expect(process.getuid?.(), 'this test mounts FUSE: run as root').toBe(0);
  tree = await materializeHostSpec(sriovHostSpec({ nvmeVfs: 2, nicVfs: 0 }));
  holdVfioGroup(tree.root, 4242, 'qemu-system-x86', 11);
  mountPoint = path.join(tree.root, 'dev/shm/u-fuse');
  mkdirSync(mountPoint, { recursive: true });
  const fuse = openSync('/dev/fuse', 'r+');
  daemon = spawn('sleep', ['infinity'], { stdio: ['ignore', 'ignore', 'ignore', fuse] });
  const mounted = spawnSync(
    'mount',
    [
      '-i',
      '-t',
      'fuse',
      '-o',
      'fd=3,rootmode=40000,user_id=0,group_id=0,allow_other',
      'gpu-ferry-hang',
      mountPoint,
    ],
    {
      stdio: ['ignore', 'pipe', 'pipe', fuse],
      encoding: 'utf8',
    },
  );
  closeSync(fuse);
  expect(mounted.stderr).toBe('');
  expect(mounted.status).toBe(0);
  // Process 5000 keeps the FUSE folder open (as /proc shows it: a link to it).
  mkdirSync(path.join(tree.root, 'proc/5000/fd'), { recursive: true });
  symlinkSync(mountPoint, path.join(tree.root, 'proc/5000/fd/4'));
  watchdog = spawn('sh', ['-c', `sleep 60; kill ${daemon.pid}`], { stdio: 'ignore' });
});

afterAll(() => {
  watchdog?.kill();
  daemon?.kill();
  spawnSync('umount', ['-l', mountPoint]);
  tree?.cleanup();
});

describe('VFIO holders scan with a FUSE mount that never answers', () => {
  it('finds the VM that holds the VF and never asks the FUSE daemon', () => {
    expect(vfioHolders(tree.root, VF)).toEqual([
      { pid: 4242, name: 'qemu-system-x86', node: '/dev/vfio/11' },
    ]);
    // Had the scan stat'ed the FUSE folder it would have waited until the watchdog ended the daemon.
    expect(alive(daemon)).toBe(true);
  });
});

// libvirt starts each QEMU in a mount namespace of its own with a private /dev (a tmpfs) where it makes
// the VM's device nodes again with mknod: QEMU's open /dev/vfio/<group> is then another inode than the
// host's node, the same character device. Here a process does exactly that (unshare, tmpfs over the tree's
// /dev/vfio, mknod, open); the tree's /proc is the real /proc so root sees it as it sees a real QEMU.
describe('a VM whose QEMU has a private /dev (libvirt mount namespace)', () => {
  let ns: string;
  let qemu: ChildProcess;
  beforeAll(async () => {
    expect(process.getuid?.(), 'this test uses mknod and mount namespaces: run as root').toBe(0);
    ns = mkdtempSync(path.join(tmpdir(), 'gpu-ferry-holders-'));
    const vf = path.join(ns, 'sys/devices/pci0000:00/0000:00:03.0', VF);
    mkdirSync(vf, { recursive: true });
    mkdirSync(path.join(ns, 'sys/kernel/iommu_groups/11'), { recursive: true });
    symlinkSync(path.join(ns, 'sys/kernel/iommu_groups/11'), path.join(vf, 'iommu_group'));
    mkdirSync(path.join(ns, 'sys/bus/pci/devices'), { recursive: true });
    symlinkSync(vf, path.join(ns, 'sys/bus/pci/devices', VF));
    mkdirSync(path.join(ns, 'dev/vfio'), { recursive: true });
    const vfioDir = path.join(ns, 'dev/vfio');
    // A character device nobody else opens through a path under this tree (1:7 is /dev/full's number).
    expect(spawnSync('mknod', [path.join(vfioDir, '11'), 'c', '1', '7']).status).toBe(0);
    symlinkSync('/proc', path.join(ns, 'proc'));
    qemu = spawn(
      'unshare',
      [
        '-m',
        '--propagation',
        'private',
        'sh',
        '-c',
        `mount -t tmpfs gpu-ferry-dev "$1" && mknod "$1/11" c 1 7 && exec sleep infinity 3<"$1/11"`,
        'sh',
        vfioDir,
      ],
      {
        stdio: 'ignore',
      },
    );
    // Generous deadline on the condition (a loaded machine): its fd 3 is open once sleep runs.
    for (
      let waited = 0;
      waited < 30_000 && readlinkOr(`/proc/${qemu.pid}/fd/3`) !== path.join(vfioDir, '11');
      waited += 50
    )
      await new Promise((r) => setTimeout(r, 50));
    expect(readlinkOr(`/proc/${qemu.pid}/fd/3`)).toBe(path.join(vfioDir, '11'));
  });
  afterAll(() => {
    qemu?.kill();
    if (ns) rmSync(ns, { recursive: true, force: true });
  });

  it('finds it holding the VF: the same character device, whatever inode its /dev gave it', () => {
    expect(vfioHolders(ns, VF)).toEqual([{ pid: qemu.pid, name: 'sleep', node: '/dev/vfio/11' }]);
  });
});

function readlinkOr(link: string): string {
  try {
    return readlinkSync(link);
  } catch {
    return '';
  }
}

// A process name is data a person chose: besides line breaks and escapes, Unicode's invisible controls
// (a right-to-left override turns "q<RLO>txt.exe" round on screen; comm holds 15 bytes, a line separator breaks a line in
// JSON readers and editors) are shown as '?' in root's messages.
describe("a holder's name in root's message", () => {
  let named: MaterializedRoot;
  beforeAll(async () => {
    named = await materializeHostSpec(sriovHostSpec({ nvmeVfs: 1, nicVfs: 0 }));
    holdVfioGroup(named.root, 4444, 'q\u202etxt.exe\u2028', 11);
  });
  afterAll(() => named?.cleanup());

  it('shows invisible format and separator characters as ?', () => {
    expect(heldText(vfioHolders(named.root, VF))).toBe(
      'is held open by process 4444 (q?txt.exe?) through /dev/vfio/11',
    );
  });
});
