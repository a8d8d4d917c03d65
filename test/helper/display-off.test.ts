// display-off-vm-gpu through the real privileged program on fixture trees: the hostile or wrong requests root
// refuses with the reason and nothing changed (the desktop's own GPU, the only GPU, a non-GPU, paths and
// shell in the address, options the goal does not have), and the reviewed request applied (the Xorg
// snippet and the udev rule written, the udev reload reported) and undone byte for byte from the journal.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { XORG_SNIPPET_PATH, udevRulePath } from '../../shared/handoff/display-off-files';
import { emptyPlan } from '../../shared/plan/model';
import { errorCode, fixtureTree, helper, planOn, removeTree, request, snapshot, withoutJournalDirs } from './lib';

const GOAL = 'display-off-vm-gpu';
const VM_GPU = '0000:01:00.0';
const roots: string[] = [];
afterEach(() => roots.splice(0).forEach(removeTree));

async function tree(fixture = 'intel-igpu-nvidia'): Promise<string> {
  const root = await fixtureTree(fixture);
  roots.push(root);
  return root;
}

/** Sends OPTIONS with an empty plan's fingerprint; expects CODE and nothing changed; returns the message. */
function refused(root: string, options: Record<string, unknown>, code: string): string {
  const before = snapshot(root);
  const r = helper(['--root', root, 'apply'], request(GOAL, options, emptyPlan(GOAL, '')));
  expect(r.status, r.stdout + r.stderr).toBe(2);
  expect(errorCode(r), r.stdout).toBe(code);
  expect(withoutJournalDirs(snapshot(root), before)).toEqual(before);
  return r.events.flatMap((e) => (e.type === 'error' ? [e.message] : [])).join('');
}

describe('display-off-vm-gpu requests root refuses', () => {
  it('the GPU the desktop runs on, the only GPU, a device that is no GPU, a GPU not there', async () => {
    const root = await tree();
    expect(refused(root, { gpu: '0000:00:02.0' }, 'cannot-plan')).toMatch(/integrated GPU/);
    expect(refused(await tree('iommu-off-firmware'), { gpu: '0000:01:00.0' }, 'cannot-plan')).toMatch(/drives every screen|boot VGA/);
    expect(refused(await tree('nvidia-only-desktop'), { gpu: '0000:0a:00.0' }, 'cannot-plan')).toMatch(/only GPU \(single-GPU mode\)/);
    expect(refused(root, { gpu: '0000:00:1f.3' }, 'cannot-plan')).toMatch(/0000:00:1f.3 is not a GPU \(PCI class 040300\)/);
    expect(refused(root, { gpu: '0000:7f:00.0' }, 'cannot-plan')).toMatch(/No GPU at 0000:7f:00.0/);
  });

  it('paths, shell and short forms in the address, both --gpu and --remove, keys the goal does not have', async () => {
    const root = await tree();
    for (const gpu of ['0000:01:00.0/../../etc', '0000:01:00.0"; reboot', '01:00.0', '0000:01:00.8', '/dev/dri/card1', ''])
      expect(refused(root, { gpu }, 'bad-options'), gpu).toMatch(/must be a PCI address/);
    refused(root, { gpu: VM_GPU, remove: true }, 'bad-options');
    refused(root, {}, 'bad-options');
    refused(root, { gpu: VM_GPU, path: '/etc/X11/xorg.conf' }, 'bad-options');
    refused(root, { gpu: VM_GPU, content: 'Section "Files"' }, 'bad-options');
  });

  it('a fingerprint of another plan: refused as a changed machine', async () => {
    expect(refused(await tree(), { gpu: VM_GPU }, 'machine-changed')).toMatch(/review it again/);
  });
});

describe('display-off-vm-gpu applied on a simulated tree', () => {
  it('writes the Xorg snippet and the udev rule, reports the reload, and undo puts the tree back byte for byte', async () => {
    const root = await tree();
    const before = snapshot(root);
    const plan = await planOn(root, GOAL, { gpu: VM_GPU });
    const applied = helper(['--root', root, 'apply'], request(GOAL, { gpu: VM_GPU }, plan));
    expect(applied.status, applied.stdout + applied.stderr).toBe(0);
    const results = applied.events.flatMap((e) => (e.type === 'result' ? [`${e.status} ${e.kind} ${e.detail}`] : []));
    expect(results.slice(0, 2)).toEqual([`ok write-file ${XORG_SNIPPET_PATH}`, `ok write-file ${udevRulePath(VM_GPU)}`]);
    // Commands are checked and reported, never run, on a simulated tree (this fixture has no udevadm).
    expect(results.slice(2)).toEqual(['not-executed run udevadm (not installed here) control --reload']);
    expect(readFileSync(path.join(root, XORG_SNIPPET_PATH), 'utf8')).toMatch(/^Section "ServerFlags"\n {4}Option "AutoAddGPU" "false"\nEndSection\n$/m);
    expect(readFileSync(path.join(root, udevRulePath(VM_GPU)), 'utf8')).toContain(`KERNELS=="${VM_GPU}", TAG+="mutter-device-ignore"`);
    // Planning again on the changed tree: nothing left to do.
    expect((await planOn(root, GOAL, { gpu: VM_GPU })).steps).toEqual([]);
    const undone = helper(['--root', root, 'undo', 'last']);
    expect(undone.status, undone.stdout + undone.stderr).toBe(0);
    expect(existsSync(path.join(root, XORG_SNIPPET_PATH))).toBe(false);
    expect(withoutJournalDirs(snapshot(root), before)).toEqual(before);
  });
});
