// Each attack class of the security review, tried the only way a caller can now: as a request (a goal and
// options) against a machine, and root not doing it. Root computes every byte it writes, so what a
// caller could smuggle into content before (a carriage return in a comment, `#` lines, `#include`, quotes
// and blanks) has nowhere to go; what the options can still ask for (all memory as huge pages, vfio-pci
// for the disk's controller) is refused by the planner and the guards at root; and what undo runs is in
// root's own journal. Guards tried directly with hostile plans: test/unit/privileged/guards.test.ts.
import { chmodSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { errorCode, fixtureTree, helper, journalId, planOn, removeTree, request, requestFor, snapshot, withoutJournalDirs } from './lib';

const trees: string[] = [];
afterEach(() => trees.splice(0).forEach(removeTree));
const tree = async (name: string, change?: (root: string) => void): Promise<string> => {
  const t = await fixtureTree(name, change);
  trees.push(t);
  return t;
};

/** INPUT refused with CODE and the tree byte for byte as it was. */
function refused(root: string, input: string, code: string): void {
  const before = snapshot(root);
  const r = helper(['--root', root, 'apply'], input);
  expect(r.status, r.stdout + r.stderr).toBe(2);
  expect(errorCode(r), r.stdout).toBe(code);
  expect(withoutJournalDirs(snapshot(root), before)).toEqual(before);
}

describe('attack classes as requests', () => {
  it('a carriage return (or newline) in any option never reaches a file: the goal schema refuses it', async () => {
    const root = await tree('lg-ubuntu');
    const plan = await planOn(root, 'looking-glass', { resolution: '1920x1080' });
    for (const options of [
      { resolution: '1920x1080', user: 'alex\rf /etc/sudoers.d/x 0440 root root - x' },
      { resolution: '1920x1080', group: 'kvm\nuser = "root"' },
      { resolution: '1920x1080\r# x' },
    ])
      refused(root, request('looking-glass', options, plan), 'bad-options');
    const gpu = (await planOn(root, 'handoff-config', { vm: 'w', gpu: '0000:01:00.0' }).catch(() => null)) ? '0000:01:00.0' : '0000:00:02.0';
    refused(root, request('handoff-config', { vm: 'win\rMODE=single-gpu', gpu }, plan), 'bad-options');
  });

  it('the request cannot carry content, paths, commands or an undo choice', async () => {
    const root = await tree('distro-debian');
    const plan = await planOn(root, 'iommu');
    for (const extra of [{ steps: plan.steps }, { content: '# init=/bin/sh' }, { path: '/etc/kernel/cmdline' }, { argv: ['sh'] }, { undo: 'rerun' }, { rerunRegenerators: false }])
      refused(root, request('iommu', {}, plan, extra), 'bad-request');
  });

  it('huge pages reserving (nearly) all memory are refused', async () => {
    const root = await tree('amd-navi21-desktop');
    const loaded = JSON.parse(readFileSync(path.resolve(__dirname, '../fixtures/hosts/amd-navi21-desktop.host.json'), 'utf8')) as { memory: Record<string, number> };
    const all = Math.floor(loaded.memory.MemTotal! / loaded.memory.Hugepagesize!);
    refused(root, request('hugepages', { pages: all }, await planOn(root, 'hugepages', { pages: 1 })), 'cannot-plan');
    refused(root, request('hugepages', { vmMemoryMib: Math.floor(loaded.memory.MemTotal! / 1024) }, await planOn(root, 'hugepages', { pages: 1 })), 'cannot-plan');
  });

  it('vfio-pci is never asked for the disk controller, and never given to a device holding a mounted filesystem', async () => {
    // The SATA controller 0000:00:17.0 holds the disks here; the NVIDIA GPU 0000:01:00.0 is the one to pass.
    const plain = await tree('intel-igpu-nvidia');
    const gpuPlan = await planOn(plain, 'vfio-early', { gpu: '0000:01:00.0' });
    refused(plain, request('vfio-early', { gpu: '0000:00:17.0' }, gpuPlan), 'cannot-plan');
    refused(plain, request('vfio-early', { gpu: '0000:00:1f.3' }, gpuPlan), 'cannot-plan');
    // Root reads the mounts itself: here the root filesystem sits on a disk behind the GPU's audio function
    // (as a scan would show a controller in use), so root refuses the plan the person reviewed.
    const mounted = await tree('intel-igpu-nvidia', (r) => {
      const dev = path.join(r, 'sys/devices/pci0000:00/0000:00:01.0/0000:01:00.1/host0/block/sda/sda2');
      mkdirSync(dev, { recursive: true });
      mkdirSync(path.join(r, 'sys/class/block'), { recursive: true });
      symlinkSync('../../devices/pci0000:00/0000:00:01.0/0000:01:00.1/host0/block/sda/sda2', path.join(r, 'sys/class/block/sda2'));
      mkdirSync(path.join(r, 'proc/self'), { recursive: true });
      writeFileSync(path.join(r, 'proc/self/mountinfo'), '25 1 8:2 / / rw,relatime shared:1 - ext4 /dev/sda2 rw\n');
    });
    const reviewed = await planOn(mounted, 'vfio-early', { gpu: '0000:01:00.0' });
    expect(reviewed.steps.length).toBeGreaterThan(0);
    refused(mounted, request('vfio-early', { gpu: '0000:01:00.0' }, reviewed), 'device-in-use');
    // Without the mount the same request applies.
    const ok = helper(['--root', plain, 'apply'], request('vfio-early', { gpu: '0000:01:00.0' }, gpuPlan));
    expect(ok.status, ok.stdout).toBe(0);
  });

  it('whether undo regenerates grub.cfg is root\'s: journaled with the plan root computed, run on undo', async () => {
    const root = await tree('distro-debian');
    const { plan, input } = await requestFor(root, 'iommu');
    const applied = helper(['--root', root, 'apply'], input);
    expect(applied.status, applied.stdout).toBe(0);
    const id = journalId(applied)!;
    const journaled = JSON.parse(readFileSync(path.join(root, 'var/lib/gpu-ferry/journal', id, 'plan.json'), 'utf8')) as typeof plan;
    expect(journaled.steps).toEqual(plan.steps);
    expect(journaled.steps.find((s) => s.kind === 'run')).toMatchObject({ argv: ['update-grub'], undo: 'rerun' });
    const undone = helper(['--root', root, 'undo', id]);
    expect(undone.status).toBe(0);
    expect(undone.events).toContainEqual(expect.objectContaining({ type: 'result', kind: 'rerun', status: 'not-executed' }));
  });

  it('root trusts no journal another user could have written: a directory on the way writable by others is refused', async () => {
    const root = await tree('distro-debian');
    const applied = helper(['--root', root, 'apply'], (await requestFor(root, 'iommu')).input);
    expect(applied.status, applied.stdout).toBe(0);
    const id = journalId(applied)!;
    for (const [dir, mode] of [
      ['var/lib/gpu-ferry/journal', 0o777],
      ['var/lib/gpu-ferry', 0o775],
    ] as const) {
      chmodSync(path.join(root, dir), mode);
      const before = snapshot(root, { withJournal: true });
      for (const args of [['undo', id], ['journal'], ['recover']]) {
        const r = helper(['--root', root, ...args]);
        expect(r.status, r.stdout + r.stderr).toBe(4);
        expect(errorCode(r), r.stdout).toBe('unsafe-directory');
      }
      expect(snapshot(root, { withJournal: true })).toEqual(before);
      chmodSync(path.join(root, dir), 0o755);
    }
    expect(helper(['--root', root, 'undo', id]).status).toBe(0);
  });

  it('a restore never sets setuid or setgid: a journal asking for it is refused and the file is left as applied', async () => {
    const root = await tree('distro-debian');
    const applied = helper(['--root', root, 'apply'], (await requestFor(root, 'iommu')).input);
    expect(applied.status, applied.stdout).toBe(0);
    const entry = path.join(root, 'var/lib/gpu-ferry/journal', journalId(applied)!);
    const metas = readdirSync(entry).filter((f) => f.endsWith('.meta'));
    const edited = metas.map((f) => [f, JSON.parse(readFileSync(path.join(entry, f), 'utf8')) as unknown] as const).find(([, m]) => typeof m === 'object');
    expect(edited, metas.join(' ')).toBeDefined();
    writeFileSync(path.join(entry, edited![0]), JSON.stringify({ ...(edited![1] as object), mode: 0o6755 }));
    const before = snapshot(root);
    const r = helper(['--root', root, 'undo', journalId(applied)!]);
    expect(r.status, r.stdout + r.stderr).not.toBe(0);
    expect(errorCode(r), r.stdout).toBe('bad-journal');
    expect(snapshot(root)).toEqual(before);
  });
});
