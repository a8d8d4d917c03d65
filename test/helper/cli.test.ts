// The built CLI end to end on a simulated tree: plan, apply --root --yes, journal, undo last.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { materializeHostSpec } from '../../electron/host/materialize';
import { giveAway, removeTree, snapshot, withoutJournalDirs, type Snapshot } from './lib';

const repo = path.resolve(__dirname, '../..');
const cli = path.join(repo, 'dist/cli/gpu-ferry.cjs');
const fixture = path.join(repo, 'test/fixtures/hosts/distro-arch-grub.host.json');
const gf = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', input: '' });

let root = '';
let before: Snapshot = {};
beforeAll(async () => {
  const built = spawnSync('node', ['build/build.mjs', '--cli-only'], { cwd: repo, encoding: 'utf8' });
  expect(built.status, built.stderr).toBe(0);
  root = mkdtempSync(path.join(tmpdir(), 'gpu-ferry-cli-'));
  await materializeHostSpec(JSON.parse(readFileSync(fixture, 'utf8')), root);
  giveAway(root);
  before = snapshot(root);
});
afterAll(() => removeTree(root));

describe('gpu-ferry plan / apply / journal / undo', () => {
  it('plan --json prints the plan and changes nothing', () => {
    const r = gf('plan', 'iommu', '--root', root, '--json');
    expect(r.status, r.stderr).toBe(0);
    const plan = JSON.parse(r.stdout) as { goal: string; steps: { kind: string; path?: string }[] };
    expect(plan.goal).toBe('iommu');
    expect(plan.steps.some((s) => s.kind === 'edit-file' && s.path === '/etc/default/grub')).toBe(true);
    expect(snapshot(root)).toEqual(before);
  });

  it('unknown goals and bad goal flags are usage errors', () => {
    const unknown = gf('plan', 'no-such-goal', '--root', root);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain("unknown goal 'no-such-goal'");
    expect(unknown.stderr).toContain('iommu');
    expect(gf('plan', 'iommu', '--root', root, '--no-such-flag').status).toBe(2);
  });

  it('apply without --yes and without a terminal changes nothing', () => {
    const r = gf('apply', 'iommu', '--root', root);
    expect(r.status).toBe(8);
    expect(r.stderr).toContain('--yes');
    expect(snapshot(root)).toEqual(before);
  });

  it('apply --yes changes the tree, journal lists it, undo last restores it byte for byte', () => {
    const applied = gf('apply', 'iommu', '--root', root, '--yes', '--json');
    expect(applied.status, applied.stderr).toBe(0);
    const result = JSON.parse(applied.stdout) as { journalId: string; steps: { status: string }[] };
    expect(result.journalId).toMatch(/^\d{8}T\d{6}Z-\d+$/);
    expect(result.steps.map((s) => s.status)).toContain('done');
    expect(result.steps.map((s) => s.status)).toContain('not-executed'); // grub-mkconfig is never run on a tree
    expect(readFileSync(path.join(root, 'etc/default/grub'), 'utf8')).toContain('intel_iommu=on');

    const journal = gf('journal', '--root', root, '--json');
    expect(journal.status, journal.stderr).toBe(0);
    const entries = JSON.parse(journal.stdout) as { id: string; state: string; goal: string }[];
    expect(entries).toEqual([expect.objectContaining({ id: result.journalId, state: 'applied', goal: 'iommu' })]);

    const undone = gf('undo', 'last', '--root', root, '--yes');
    expect(undone.status, undone.stderr).toBe(0);
    expect(undone.stdout).toContain(`Undone ${result.journalId}`);
    expect(withoutJournalDirs(snapshot(root), before)).toEqual(before);
    expect(existsSync(path.join(root, 'var/lib/gpu-ferry/journal', result.journalId, 'state'))).toBe(true);
  });

  it('on a terminal, apply asks; "n" changes nothing, "y" applies', () => {
    // `script` gives the CLI a pseudo-terminal; the command is constant, data goes through the environment.
    const onTty = (answer: string) =>
      spawnSync('script', ['-qec', 'exec "$GF_NODE" "$GF_CLI" apply iommu --root "$GF_ROOT"', '/dev/null'], {
        input: answer,
        encoding: 'utf8',
        env: { PATH: process.env.PATH ?? '', GF_NODE: process.execPath, GF_CLI: cli, GF_ROOT: root, TERM: 'dumb' },
      });
    const no = onTty('n\n');
    expect(no.stdout).toContain('[y/N]');
    expect(no.status).toBe(8);
    expect(withoutJournalDirs(snapshot(root), before)).toEqual(before);
    const yes = onTty('y\n');
    expect(yes.status, yes.stdout).toBe(0);
    expect(readFileSync(path.join(root, 'etc/default/grub'), 'utf8')).toContain('intel_iommu=on');
    expect(gf('undo', 'last', '--root', root, '--yes').status).toBe(0);
    expect(withoutJournalDirs(snapshot(root), before)).toEqual(before);
  });

  it('undo of an id that does not exist is refused', () => {
    const r = gf('undo', '20990101T000000Z-1', '--root', root, '--yes');
    expect(r.status).toBe(6);
    expect(r.stderr).toContain('no journal entry');
  });

  it('run through a symbolic link elsewhere (npx, /usr/bin), it finds its privileged program from its real path', () => {
    const links = mkdtempSync(path.join(tmpdir(), 'gpu-ferry-bin-'));
    try {
      symlinkSync(cli, path.join(links, 'gpu-ferry'));
      const r = spawnSync(process.execPath, [path.join(links, 'gpu-ferry'), 'apply', 'iommu', '--root', root, '--yes', '--json'], { encoding: 'utf8', input: '' });
      expect(r.status, r.stderr).toBe(0);
      expect(gf('undo', 'last', '--root', root, '--yes').status).toBe(0);
      expect(withoutJournalDirs(snapshot(root), before)).toEqual(before);
    } finally {
      removeTree(links);
    }
  });
});
