// A directory in the target path is swapped for a symlink to the outside over and over while root
// applies: whatever it reports, nothing may ever land outside the root. And swapped exactly between the
// checks and the write: the write is refused and recovery restores the tree.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { argvAsNobody, examplesOn, fixtureTree, giveAway, helper, lines, planOn, removeTree, request, requestFor, snapshot, withoutJournalDirs, errorCode } from './lib';

const outside = mkdtempSync(path.join(tmpdir(), 'gpu-ferry-race-outside-'));
writeFileSync(path.join(outside, 'victim'), 'precious\n');
giveAway(outside);
let root = '';
let gpu = '';
beforeAll(async () => {
  root = await fixtureTree('distro-debian', (r) => mkdirSync(path.join(r, 'etc/gpu-ferry/vms'), { recursive: true }));
  gpu = String((await examplesOn(root, 'handoff-config'))[0]?.gpu);
});
afterAll(() => {
  removeTree(root);
  removeTree(outside);
});

describe('symlink swap raced against the write', () => {
  it('never writes outside the root', async () => {
    const outsideBefore = snapshot(outside);
    const sub = path.join(root, 'etc/gpu-ferry/vms');
    // Swap vms ↔ a symlink to the outside, mostly a real directory, so checks pass and writes get raced.
    const swapper = spawn('bash', ['-c', 'while :; do sleep 0.02; mv -T "$1" "$1.real" && ln -s "$2" "$1" && sleep 0.01; rm "$1" && mv -T "$1.real" "$1"; done', 'swap', sub, outside], {
      stdio: 'ignore',
    });
    const outcomes = new Map<string, number>();
    try {
      for (let i = 0; i < 16; i++) {
        // The plan is made while the directory may be swapped too: a changed machine is one outcome.
        const options = { vm: `race ${i}`, gpu };
        const plan = await planOn(root, 'handoff-config', options).catch(() => null);
        if (!plan) continue;
        const r = helper(['--root', root, 'apply'], request('handoff-config', options, plan));
        const outcome = r.status === 0 ? 'applied' : (errorCode(r) ?? `exit ${String(r.status)}`);
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
    // cannot-plan: root scanned while vms was the link to a folder others may not search, so the folder
    // was private and no plan may write into it (shared/plan/private-files.ts).
    const known = ['applied', 'cannot-plan', 'symlink-in-path', 'missing-directory', 'unsafe-directory', 'machine-changed', 'file-exists', 'step-failed', 'restore-failed', 'rollback-failed', 'recovery-failed'];
    expect([...outcomes.keys()].every((k) => known.includes(k)), JSON.stringify([...outcomes])).toBe(true);
  });

  it('without the race the same request applies', async () => {
    const { input } = await requestFor(root, 'handoff-config', { vm: 'calm', gpu });
    const r = helper(['--root', root, 'apply'], input);
    expect(r.status, r.stdout).toBe(0);
  });
});

describe('symlink swapped exactly between check and write', () => {
  it('the write is refused, nothing lands outside, and recovery restores the tree', async () => {
    // Looking Glass: step 0 writes /etc/modprobe.d/gpu-ferry-kvmfr.conf, step 1 into /etc/modules-load.d.
    const t = await fixtureTree('distro-debian', (r) => mkdirSync(path.join(r, 'etc/modules-load.d'), { recursive: true }));
    const options = (await examplesOn(t, 'looking-glass'))[0]!;
    const plan = await planOn(t, 'looking-glass', options);
    expect(plan.steps[1]).toMatchObject({ kind: 'write-file', path: '/etc/modules-load.d/gpu-ferry-kvmfr.conf' });
    // The FIFO lives outside the tree: reading it in a snapshot would block.
    const fifoDir = mkdtempSync(path.join(tmpdir(), 'gpu-ferry-fifo-'));
    const fifo = path.join(fifoDir, 'pause');
    spawnSync('mkfifo', [fifo]);
    giveAway(fifoDir);
    const old = snapshot(t);
    const outsideBefore = snapshot(outside);
    const argv = argvAsNobody(['--root', t, 'apply']);
    const child = spawn(argv[0]!, argv.slice(1), { stdio: ['pipe', 'pipe', 'pipe'], env: { PATH: process.env.PATH ?? '', GPU_FERRY_TEST_PAUSE_FIFO: fifo } });
    const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
    child.stdin.end(request('looking-glass', options, plan));
    let out = '';
    child.stdout.setEncoding('utf8');
    await new Promise<void>((resolve) =>
      child.stdout.on('data', (c: string) => {
        out += c;
        if (out.includes('"type":"journal"')) resolve();
      }),
    );
    // Checks passed and the journal is written; now the directory becomes a symlink to the outside.
    const sub = path.join(t, 'etc/modules-load.d');
    renameSync(sub, `${sub}.real`);
    symlinkSync(outside, sub);
    writeFileSync(fifo, 'go\n');
    expect(await closed).toBe(3);
    const events = lines(out);
    expect(events).toContainEqual(expect.objectContaining({ type: 'result', step: 0, status: 'ok', kind: 'write-file' }));
    expect(events.some((e) => e.type === 'result' && e.step === 1 && e.kind === 'write-file')).toBe(false);
    expect(readdirSync(outside).sort()).toEqual(['victim']);
    expect(snapshot(outside)).toEqual(outsideBefore);
    rmSync(sub);
    renameSync(`${sub}.real`, sub);
    expect(existsSync(path.join(sub, 'gpu-ferry-kvmfr.conf'))).toBe(false);
    const r = helper(['--root', t, 'recover']);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(withoutJournalDirs(snapshot(t), old)).toEqual(old);
    removeTree(t);
    removeTree(fifoDir);
  });
});
