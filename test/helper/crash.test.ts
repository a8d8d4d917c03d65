// Killing the helper after every step (and at random moments) leaves each file old or new, never torn;
// the next helper run rolls the interrupted entry back to the old tree, and reruns the restart the
// killed run had done (effects at real root: crash-effects.test.ts).
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { encodePlan } from '../../shared/plan/encode';
import type { Step } from '../../shared/plan/model';
import { HELPER, helper, makeTree, removeTree, snapshot, withoutJournalDirs, type Snapshot } from './lib';

// Large (about 256 KiB) but allowed content: comments pass the helper's content rules.
const big = `# GPU Ferry crash test padding ${'x'.repeat(4064)}\n`.repeat(64);
const hook = readFileSync(path.resolve(__dirname, '../../resources/hooks/gpu-ferry'), 'utf8');
const files = {
  'etc/default/grub': 'GRUB_CMDLINE_LINUX_DEFAULT="quiet"\n',
  'etc/modprobe.d/gpu-ferry-kvmfr.conf': 'options vfio-pci ids=1:2\n',
  'etc/libvirt/qemu.conf': '#user = "root"\n',
  'etc/mkinitcpio.conf': 'MODULES=()\n',
};
const steps: Step[] = [
  { kind: 'write-file', path: '/etc/modprobe.d/gpu-ferry-vfio.conf', content: big, mode: 0o644, owner: 'root', group: 'root', before: null, reason: 'bind early' },
  { kind: 'edit-file', path: '/etc/default/grub', before: files['etc/default/grub'], after: 'GRUB_CMDLINE_LINUX_DEFAULT="quiet amd_iommu=on"\n', reason: 'iommu' },
  { kind: 'run', argv: ['grub-mkconfig', '-o', '/boot/grub/grub.cfg'], reason: 'boot menu' },
  { kind: 'remove-file', path: '/etc/modprobe.d/gpu-ferry-kvmfr.conf', before: files['etc/modprobe.d/gpu-ferry-kvmfr.conf'], reason: 'old file' },
  { kind: 'write-file', path: '/etc/libvirt/hooks/qemu.d/gpu-ferry', content: hook, mode: 0o755, owner: 'root', group: 'root', reason: 'hook' },
  { kind: 'edit-file', path: '/etc/mkinitcpio.conf', before: files['etc/mkinitcpio.conf'], after: 'MODULES=(vfio_pci vfio)\n', reason: 'early' },
  { kind: 'write-file', path: '/etc/gpu-ferry/state/vm.json', content: big.slice(0, 1000), mode: 0o600, owner: 'root', group: 'root', reason: 'config' },
  { kind: 'unit', action: 'restart', unit: 'libvirtd.service', reason: 'reload' },
];
const input = encodePlan({ goal: 'crash', title: 'crash test', steps });

const trees: string[] = [];
const tree = (): string => {
  const t = makeTree(files);
  trees.push(t);
  return t;
};
afterEach(() => {
  trees.splice(0).forEach(removeTree);
});

function newState(): Snapshot {
  const t = tree();
  const r = helper(['--root', t, 'apply'], input);
  expect(r.status, r.stdout + r.stderr).toBe(0);
  return snapshot(t);
}

/** Every path is as before or as after (a leftover temp file only until recovery). */
function expectOldOrNew(now: Snapshot, old: Snapshot, neu: Snapshot): void {
  for (const p of new Set([...Object.keys(now), ...Object.keys(old), ...Object.keys(neu)])) {
    if (/(^|\/)\.gpu-ferry-helper\.[A-Za-z0-9]{6}$/.test(p) || p.startsWith('var')) continue;
    expect([old[p], neu[p]], p).toContain(now[p]);
  }
}

describe('crash at every step', () => {
  it.each(Array.from({ length: steps.length + 1 }, (_, i) => i - 1))('killed after step %i: old or new, and recovery restores old', (n) => {
    const t = tree();
    const old = snapshot(t);
    const neu = newState();
    const r = helper(['--root', t, 'apply'], input, { GPU_FERRY_TEST_CRASH_AFTER: String(n) });
    expect(r.signal).toBe('SIGKILL');
    expect(r.stdout).toContain(n < 0 ? 'journal ' : `result ${n} `);
    const crashed = snapshot(t);
    expectOldOrNew(crashed, old, neu);
    if (n >= 0) expect(crashed).not.toEqual(old); // the crash really happened mid-way
    // Any verb recovers first; `journal` shows the entry rolled back (or abandoned before applying).
    const j = helper(['--root', t, 'journal']);
    expect(j.status, j.stdout + j.stderr).toBe(0);
    expect(j.stdout).toMatch(n < 0 ? /^recovered \S+ abandoned$/m : /^recovered \S+ rolled-back$/m);
    // The restart (step 7) ran: it runs again once the files are back (not run here: simulated). Before it
    // started, there is nothing to restart; grub-mkconfig declares no undo and is never rerun.
    const restart = /^result 7 not-executed rerun (\/usr\/bin\/systemctl|systemctl \(not installed here\)) restart -- libvirtd\.service$/m;
    if (n === 7) expect(j.stderr).toMatch(restart);
    else expect(j.stderr).not.toMatch(restart);
    expect(j.stderr).not.toMatch(/^result 2 /m);
    expect(withoutJournalDirs(snapshot(t), old)).toEqual(old);
    // The interrupted entry cannot be undone again, and the tree can be applied afresh.
    expect(helper(['--root', t, 'undo', 'last']).status).toBe(4);
    expect(helper(['--root', t, 'apply'], input).status).toBe(0);
    expect(snapshot(t)).toEqual(neu);
  });
});

describe('crash at random moments', () => {
  it('SIGKILL at 12 different times never tears a file', async () => {
    const neu = newState();
    for (let i = 0; i < 12; i++) {
      const t = tree();
      const old = snapshot(t);
      const argv = process.getuid?.() === 0 ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', HELPER] : [HELPER];
      const child = spawn(argv[0]!, [...argv.slice(1), '--root', t, 'apply'], { stdio: ['pipe', 'ignore', 'ignore'] });
      // A kill before the helper has read the whole plan closes the pipe under us: that is the point here.
      child.stdin.on('error', () => {});
      child.stdin.end(input);
      await new Promise((r) => setTimeout(r, 15 + i * 25));
      child.kill('SIGKILL');
      await new Promise((r) => child.on('close', r));
      expectOldOrNew(snapshot(t), old, neu);
      expect(helper(['--root', t, 'recover']).status).toBe(0);
      const after = withoutJournalDirs(snapshot(t), old);
      // Killed after finishing, the entry is applied and stays so; otherwise recovery gives the old tree.
      const neuFiles = withoutJournalDirs(neu, old);
      expect([old, neuFiles]).toContainEqual(after);
      if (JSON.stringify(after) === JSON.stringify(neuFiles)) expect(helper(['--root', t, 'undo', 'last']).status).toBe(0);
      expect(withoutJournalDirs(snapshot(t), old)).toEqual(old);
    }
  });
});
