// GPU holders read from /proc: a prepared tree for card/render/nvidia nodes, and the real /proc with a
// real child process holding a file open.
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findHolders, gpuDeviceNodes } from '../../../electron/system/gpu-holders';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function tree(): Promise<string> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'gpu-ferry-holders-'));
  dirs.push(root);
  const drm = path.join(root, 'sys/bus/pci/devices/0000:0a:00.0/drm');
  await mkdir(path.join(drm, 'card1'), { recursive: true });
  await mkdir(path.join(drm, 'renderD129'), { recursive: true });
  await mkdir(path.join(root, 'proc/driver/nvidia/gpus/0000:0a:00.0'), { recursive: true });
  await writeFile(path.join(root, 'proc/driver/nvidia/gpus/0000:0a:00.0/information'), 'Model: RTX 3080\nDevice Minor: 1\n');
  const proc = async (pid: number, comm: string, fds: string[]) => {
    await mkdir(path.join(root, `proc/${pid}/fd`), { recursive: true });
    await writeFile(path.join(root, `proc/${pid}/comm`), `${comm}\n`);
    for (const [i, target] of fds.entries()) await symlink(target, path.join(root, `proc/${pid}/fd/${i}`));
  };
  await proc(1234, 'firefox', ['/dev/null', '/dev/dri/renderD129', '/dev/dri/card1']);
  await proc(77, 'Xorg', ['/dev/dri/card0']); // the other card: not a holder
  await proc(99, 'nvidia-persistenced', ['/dev/nvidia1', '/dev/nvidiactl']);
  await proc(100, 'cuda-app', ['/dev/nvidia0']); // another NVIDIA card's node
  return root;
}

describe('gpuDeviceNodes', () => {
  it('lists the card and render nodes, and for NVIDIA the card minor plus shared nodes', async () => {
    const root = await tree();
    expect(await gpuDeviceNodes(root, '0000:0a:00.0', 'amdgpu')).toEqual(['/dev/dri/card1', '/dev/dri/renderD129']);
    expect(await gpuDeviceNodes(root, '0000:0a:00.0', 'nvidia')).toEqual([
      '/dev/dri/card1', '/dev/dri/renderD129', '/dev/nvidia-modeset', '/dev/nvidia-uvm', '/dev/nvidia-uvm-tools', '/dev/nvidia1', '/dev/nvidiactl',
    ]);
    expect(await gpuDeviceNodes(root, '0000:0b:00.0', null)).toEqual([]);
  });
});

describe('findHolders', () => {
  it('names every process holding one of the nodes, with PID and node', async () => {
    const root = await tree();
    const scan = await findHolders(root, await gpuDeviceNodes(root, '0000:0a:00.0', 'nvidia'));
    expect(scan.holders).toEqual([
      { pid: 99, name: 'nvidia-persistenced', device: '/dev/nvidia1' },
      { pid: 99, name: 'nvidia-persistenced', device: '/dev/nvidiactl' },
      { pid: 1234, name: 'firefox', device: '/dev/dri/card1' },
      { pid: 1234, name: 'firefox', device: '/dev/dri/renderD129' },
    ]);
    expect(await findHolders(root, [])).toEqual({ holders: [], unreadable: 0 });
  });

  it('finds a real process in the real /proc', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'gpu-ferry-holders-real-'));
    dirs.push(dir);
    const file = path.join(dir, 'fake-render-node');
    await writeFile(file, '');
    const child = spawn('sh', ['-c', 'exec 3<"$1"; echo ready; exec sleep 30', 'holder', file], { stdio: ['ignore', 'pipe', 'ignore'] });
    try {
      await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
      // "ready" comes from sh before its `exec sleep`: until the exec, the holder is still named sh.
      await expect
        .poll(async () => (await findHolders('/', [file])).holders, { timeout: 30_000 })
        .toContainEqual({ pid: child.pid, name: 'sleep', device: file });
    } finally {
      child.kill();
    }
  }, 60_000);
});
