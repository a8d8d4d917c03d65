// Journal rotation: after a successful apply or undo, undone and rolled-back entries beyond the newest 50
// are deleted, oldest first; applied, incomplete and interrupted entries are kept however old. The tree's
// journal is seeded with old entries (as the helper writes them: state, goal, title, files) around a real
// apply and undo.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { encodePlan } from '../../shared/plan/encode';
import { helper, makeTree, removeTree } from './lib';

const trees: string[] = [];
afterEach(() => trees.splice(0).forEach(removeTree));

const JOURNAL = 'var/lib/gpu-ferry/journal';
const KEPT_STATES = ['applied', 'undo-incomplete', 'rollback-incomplete', 'abandoned'];
/** 70 old entries, one a minute: every 10th keeps a state that must never be pruned, the rest alternate undone/rolled-back. */
const seeded = Array.from({ length: 70 }, (_, i) => ({
  id: `20200101T${String(Math.floor(i / 60)).padStart(2, '0')}${String(i % 60).padStart(2, '0')}00Z-${100 + i}`,
  state: i % 10 === 3 ? KEPT_STATES[(i / 10) % KEPT_STATES.length | 0]! : i % 2 ? 'undone' : 'rolled-back',
}));

function tree(): string {
  const root = makeTree({ 'etc/default/grub': 'GRUB_CMDLINE_LINUX=""\n' }, (r) => {
    for (const { id, state } of seeded) {
      const e = path.join(r, JOURNAL, id);
      mkdirSync(e, { recursive: true });
      for (const [name, text] of Object.entries({ state: `${state}\n`, goal: 'old', title: 'old', files: '' })) writeFileSync(path.join(e, name), text);
    }
  });
  trees.push(root);
  return root;
}

const entries = (root: string): string[] => readdirSync(path.join(root, JOURNAL)).filter((n) => !n.startsWith('.')).sort();
const stateOf = (root: string, id: string): string => readFileSync(path.join(root, JOURNAL, id, 'state'), 'utf8').trim();
const isFinished = (s: string) => s === 'undone' || s === 'rolled-back';
const plan = encodePlan({
  goal: 'iommu',
  title: 'IOMMU',
  steps: [{ kind: 'edit-file', path: '/etc/default/grub', before: 'GRUB_CMDLINE_LINUX=""\n', after: 'GRUB_CMDLINE_LINUX="iommu=pt"\n', reason: 'iommu' }],
});

describe('journal rotation', () => {
  it('keeps the newest 50 undone/rolled-back entries and every other one, pruning after apply and after undo', () => {
    const root = tree();
    const seededFinished = seeded.filter((e) => isFinished(e.state)).map((e) => e.id);
    const seededKept = seeded.filter((e) => !isFinished(e.state)).map((e) => e.id);
    expect(seededFinished.length).toBeGreaterThan(51);

    // A refused plan prunes nothing.
    expect(helper(['--root', root, 'apply'], plan.replace('end 1', 'end 2')).status).toBe(2);
    expect(entries(root)).toHaveLength(seeded.length);

    const applied = helper(['--root', root, 'apply'], plan);
    expect(applied.status, applied.stdout + applied.stderr).toBe(0);
    const id = /^journal (\S+)$/m.exec(applied.stdout)?.[1] ?? '';
    expect(entries(root)).toEqual([...seededKept, ...seededFinished.slice(-50), id].sort());

    const undone = helper(['--root', root, 'undo', id]);
    expect(undone.status, undone.stdout + undone.stderr).toBe(0);
    // The new entry is undone now: one more finished entry, so the oldest finished one left goes.
    expect(entries(root)).toEqual([...seededKept, ...seededFinished.slice(-49), id].sort());
    expect(entries(root).filter((e) => isFinished(stateOf(root, e)))).toHaveLength(50);
    for (const kept of seededKept) expect(stateOf(root, kept)).toBe(seeded.find((e) => e.id === kept)!.state);

    // The listing still reads every entry left.
    const listed = helper(['--root', root, 'journal']).stdout.split('\n').filter((l) => l.startsWith('entry '));
    expect(listed).toHaveLength(entries(root).length);
  });
});
