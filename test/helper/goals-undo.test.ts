// For every registered goal and every example it gives on every fixture host: the app's request makes
// root compute the same plan (same fingerprint) and pass its guards; applying changes the tree and undo
// returns it byte for byte (contents, modes, symlinks). Iterates the registry, so new goals are covered.
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { goalList } from '../../shared/plan/goals.registry';
import { examplesOn, FIXTURES, fixtureTree, helper, removeTree, requestFor, snapshot, withoutJournalDirs } from './lib';

const fixtures = readdirSync(FIXTURES).filter((f) => f.endsWith('.host.json')).map((f) => f.replace(/\.host\.json$/, '')).sort();
const exercisedByGoal = new Map<string, number>();

describe('apply then undo is byte-identical for every goal on every fixture host', () => {
  it('has goals and fixtures to cover', () => {
    expect(goalList.length).toBeGreaterThan(0);
    expect(fixtures.length).toBeGreaterThan(0);
  });

  it.each(fixtures)('%s', async (fixture) => {
    for (const goal of goalList) {
      const probe = await fixtureTree(fixture);
      const examples = await examplesOn(probe, goal.name);
      removeTree(probe);
      for (const options of examples) {
        const root = await fixtureTree(fixture);
        try {
          const { plan, input } = await requestFor(root, goal.name, options);
          if (plan.steps.length === 0) continue;
          const label = `${goal.name} ${JSON.stringify(options)}`;
          const before = snapshot(root);
          const applied = helper(['--root', root, 'apply'], input);
          expect(applied.status, `${label}: ${applied.stdout}${applied.stderr}`).toBe(0);
          expect(applied.events.filter((e) => e.type === 'result').length, label).toBe(plan.steps.length);
          if (plan.steps.some((s) => s.kind.endsWith('-file'))) expect(snapshot(root), label).not.toEqual(before);
          const undone = helper(['--root', root, 'undo', 'last']);
          expect(undone.status, `${label}: ${undone.stdout}${undone.stderr}`).toBe(0);
          expect(withoutJournalDirs(snapshot(root), before), label).toEqual(before);
          exercisedByGoal.set(goal.name, (exercisedByGoal.get(goal.name) ?? 0) + 1);
        } finally {
          removeTree(root);
        }
      }
    }
  });

  it('exercised every registered goal on at least one fixture', () => {
    for (const goal of goalList) expect(exercisedByGoal.get(goal.name) ?? 0, goal.name).toBeGreaterThan(0);
  });
});
