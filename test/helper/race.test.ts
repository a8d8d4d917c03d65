// A directory in the target path is swapped for a symlink to the outside over and over while the helper
// applies: whatever the helper reports, nothing may ever land outside the root.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encodePlan } from '../../shared/plan/encode';
import type { Step } from '../../shared/plan/model';
import { HELPER, giveAway, helper, makeTree, removeTree, snapshot, withoutJournalDirs } from './lib';

const outside = mkdtempSync(path.join(tmpdir(), 'gpu-ferry-race-outside-'));
writeFileSync(path.join(outside, 'victim'), 'precious\n');
giveAway(outside);
const root = makeTree({ 'etc/gpu-ferry/sub/victim': 'inside\n' });
afterAll(() => {
  removeTree(root);
  removeTree(outside);
});

const steps: Step[] = Array.from({ length: 12 }, (_, i) => ({
  kind: 'write-file' as const,
  path: `/etc/gpu-ferry/sub/f${i}`,
  content: `file ${i}\n`,
  mode: 0o644,
  owner: 'root',
  group: 'root',
  reason: 'race',
}));

describe('symlink swap raced against the write', () => {
  it('never writes outside the root', async () => {
    const outsideBefore = snapshot(outside);
    const sub = path.join(root, 'etc/gpu-ferry/sub');
    // Swap sub ↔ a symlink to the outside, mostly a real directory, so checks pass and writes get raced.
    const swapper = spawn('bash', ['-c', 'while :; do sleep 0.04; mv -T "$1" "$1.real" && ln -s "$2" "$1" && sleep 0.01; rm "$1" && mv -T "$1.real" "$1"; done', 'swap', sub, outside], {
      stdio: 'ignore',
    });
    const outcomes = new Map<string, number>();
    try {
      for (let i = 0; i < 10; i++) {
        const r = helper(['--root', root, 'apply'], encodePlan({ goal: 'race', title: 'race', steps: steps.map((s, k) => ({ ...s, path: `/etc/gpu-ferry/sub/run${i}-${k}` })) }));
        const outcome = r.status === 0 ? 'applied' : (/^error (\S+)/m.exec(r.stdout)?.[1] ?? `exit ${String(r.status)}`);
        outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
        expect(readdirSync(outside).sort()).toEqual(['victim']);
      }
    } finally {
      swapper.kill('SIGKILL');
      await new Promise((r) => swapper.on('close', r));
      // Put the directory back if the swapper died half-way through a swap.
      spawnSync('bash', ['-c', '[ -d "$1.real" ] && rm -f "$1" && mv -T "$1.real" "$1"; true', 'fix', sub]);
    }
    expect(snapshot(outside)).toEqual(outsideBefore);
    // The race was real: at least one run was refused because of it.
    const refused = [...outcomes.keys()].filter((k) => k !== 'applied');
    expect(refused.length, JSON.stringify([...outcomes])).toBeGreaterThan(0);
    expect(refused.every((k) => ['symlink-in-path', 'missing-directory', 'unsafe-directory', 'step-failed', 'restore-failed', 'rollback-failed', 'recovery-failed'].includes(k)), JSON.stringify([...outcomes])).toBe(true);
  });

  it('without the race the same plan applies', () => {
    const r = helper(['--root', root, 'apply'], encodePlan({ goal: 'race', title: 'race', steps: steps.map((s, k) => ({ ...s, path: `/etc/gpu-ferry/sub/calm${k}` })) }));
    expect(r.status, r.stdout).toBe(0);
  });
});

describe('symlink swapped exactly between check and write', () => {
  it('the write is refused, nothing lands outside, and recovery restores the tree', async () => {
    const t = makeTree({ 'etc/gpu-ferry/sub/keep': 'keep\n', 'etc/default/grub': 'GRUB_CMDLINE_LINUX_DEFAULT="quiet"\n' });
    // The FIFO lives outside the tree: reading it in a snapshot would block.
    const fifoDir = mkdtempSync(path.join(tmpdir(), 'gpu-ferry-fifo-'));
    const fifo = path.join(fifoDir, 'pause');
    spawnSync('mkfifo', [fifo]);
    giveAway(fifoDir);
    const old = snapshot(t);
    const outsideBefore = snapshot(outside);
    const racePlan = encodePlan({
      goal: 'race',
      title: 'race',
      steps: [
        { kind: 'edit-file', path: '/etc/default/grub', before: 'GRUB_CMDLINE_LINUX_DEFAULT="quiet"\n', after: 'GRUB_CMDLINE_LINUX_DEFAULT="quiet iommu=pt"\n', reason: 'first, lands' },
        { kind: 'write-file', path: '/etc/gpu-ferry/sub/new', content: 'evil\n', mode: 0o644, owner: 'root', group: 'root', reason: 'raced' },
      ],
    });
    const argv = process.getuid?.() === 0 ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', HELPER] : [HELPER];
    const child = spawn(argv[0]!, [...argv.slice(1), '--root', t, 'apply'], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { PATH: process.env.PATH ?? '', GPU_FERRY_TEST_PAUSE_FIFO: fifo },
    });
    child.stdin.end(racePlan);
    let out = '';
    child.stdout.setEncoding('utf8');
    await new Promise<void>((resolve) =>
      child.stdout.on('data', (c: string) => {
        out += c;
        if (out.includes('journal ')) resolve();
      }),
    );
    // Checks passed and the journal is written; now the directory becomes a symlink to the outside.
    const sub = path.join(t, 'etc/gpu-ferry/sub');
    renameSync(sub, `${sub}.real`);
    symlinkSync(outside, sub);
    writeFileSync(fifo, 'go\n');
    const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(status).toBe(3);
    expect(out).toMatch(/^result 0 ok edit-file/m);
    expect(out).not.toMatch(/^result 1 ok/m);
    expect(readdirSync(outside).sort()).toEqual(['victim']);
    expect(snapshot(outside)).toEqual(outsideBefore);
    rmSync(sub);
    renameSync(`${sub}.real`, sub);
    expect(existsSync(path.join(sub, 'new'))).toBe(false);
    const r = helper(['--root', t, 'recover']);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(withoutJournalDirs(snapshot(t), old)).toEqual(old);
    removeTree(t);
    removeTree(fifoDir);
  });
});
