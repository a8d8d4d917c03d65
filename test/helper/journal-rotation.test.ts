// Journal rotation: after a successful apply or undo, undone and rolled-back entries beyond the newest 50
// are deleted, oldest first; applied, incomplete and interrupted entries are kept however old. The tree's
// journal is seeded with old entries (as the program writes them: state, summary, files) around a real
// apply and undo.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fixtureTree, helper, journalId, removeTree, requestFor } from './lib';

const trees: string[] = [];
afterEach(() => trees.splice(0).forEach(removeTree));

const JOURNAL = 'var/lib/gpu-ferry/journal';
const KEPT_STATES = ['applied', 'undo-incomplete', 'rollback-incomplete', 'abandoned'];
/** 70 old entries, one a minute: every 10th keeps a state that must never be pruned, the rest alternate undone/rolled-back. */
const seeded = Array.from({ length: 70 }, (_, i) => ({
  id: `20200101T${String(Math.floor(i / 60)).padStart(2, '0')}${String(i % 60).padStart(2, '0')}00Z-${100 + i}`,
  state: i % 10 === 3 ? KEPT_STATES[(i / 10) % KEPT_STATES.length | 0]! : i % 2 ? 'undone' : 'rolled-back',
}));

async function tree(): Promise<string> {
  const root = await fixtureTree('distro-debian', (r) => {
    for (const { id, state } of seeded) {
      const e = path.join(r, JOURNAL, id);
      mkdirSync(e, { recursive: true });
      for (const [name, text] of Object.entries({ state: `${state}\n`, 'summary.json': '{"goal":"old","title":"old"}', 'files.json': '[]' })) writeFileSync(path.join(e, name), text);
    }
  });
  trees.push(root);
  return root;
}

const entries = (root: string): string[] => readdirSync(path.join(root, JOURNAL)).filter((n) => !n.startsWith('.')).sort();
const stateOf = (root: string, id: string): string => readFileSync(path.join(root, JOURNAL, id, 'state'), 'utf8').trim();
const isFinished = (s: string) => s === 'undone' || s === 'rolled-back';

describe('journal rotation', () => {
  it('keeps the newest 50 undone/rolled-back entries and every other one, pruning after apply and after undo', async () => {
    const root = await tree();
    const { input } = await requestFor(root, 'iommu');
    const seededFinished = seeded.filter((e) => isFinished(e.state)).map((e) => e.id);
    const seededKept = seeded.filter((e) => !isFinished(e.state)).map((e) => e.id);
    expect(seededFinished.length).toBeGreaterThan(51);

    // A refused request prunes nothing.
    expect(helper(['--root', root, 'apply'], input.replace(/"fingerprint":"[0-9a-f]/, '"fingerprint":"x')).status).toBe(2);
    expect(entries(root)).toHaveLength(seeded.length);

    const applied = helper(['--root', root, 'apply'], input);
    expect(applied.status, applied.stdout + applied.stderr).toBe(0);
    const id = journalId(applied) ?? '';
    expect(entries(root)).toEqual([...seededKept, ...seededFinished.slice(-50), id].sort());

    const undone = helper(['--root', root, 'undo', id]);
    expect(undone.status, undone.stdout + undone.stderr).toBe(0);
    // The new entry is undone now: one more finished entry, so the oldest finished one left goes.
    expect(entries(root)).toEqual([...seededKept, ...seededFinished.slice(-49), id].sort());
    expect(entries(root).filter((e) => isFinished(stateOf(root, e)))).toHaveLength(50);
    for (const kept of seededKept) expect(stateOf(root, kept)).toBe(seeded.find((e) => e.id === kept)!.state);

    // The listing still reads every entry left.
    const listed = helper(['--root', root, 'journal']).events.filter((e) => e.type === 'entry');
    expect(listed).toHaveLength(entries(root).length);
  });
});
