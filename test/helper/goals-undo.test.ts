// Apply then undo returns a byte-identical tree (contents, modes, symlinks) for every plan every
// registered goal produces on every fixture host. Iterates the registry, so new goals are covered as added.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadHost } from '../../electron/host/load';
import { encodePlan } from '../../shared/plan/encode';
import { goalList } from '../../shared/plan/goals.registry';
import { giveAway, helper, snapshot, withoutJournalDirs } from './lib';

const fixtureDir = path.resolve(__dirname, '../fixtures/hosts');
const fixtures = readdirSync(fixtureDir).filter((f) => f.endsWith('.host.json')).sort();
const exercisedByGoal = new Map<string, number>();

describe('apply then undo is byte-identical for every goal on every fixture host', () => {
  it('has goals and fixtures to cover', () => {
    expect(goalList.length).toBeGreaterThan(0);
    expect(fixtures.length).toBeGreaterThan(0);
  });

  it.each(fixtures)('%s', async (fixture) => {
    let exercised = 0;
    for (const goal of goalList) {
      const probe = await loadHost({ host: path.join(fixtureDir, fixture) });
      const examples = goal.examples(probe.model);
      await probe.cleanup();
      for (const options of examples) {
        const loaded = await loadHost({ host: path.join(fixtureDir, fixture) });
        try {
          const plan = goal.plan(loaded.model, goal.options.parse(options));
          if (plan.steps.length === 0) continue;
          giveAway(loaded.root);
          const label = `${goal.name} ${JSON.stringify(options)}`;
          const before = snapshot(loaded.root);
          const applied = helper(['--root', loaded.root, 'apply'], encodePlan(plan));
          expect(applied.status, `${label}: ${applied.stdout}${applied.stderr}`).toBe(0);
          const resultLines = applied.stdout.split('\n').filter((l) => l.startsWith('result '));
          expect(resultLines.length, label).toBe(plan.steps.length);
          if (plan.steps.some((s) => s.kind.endsWith('-file'))) expect(snapshot(loaded.root), label).not.toEqual(before);
          const undone = helper(['--root', loaded.root, 'undo', 'last']);
          expect(undone.status, `${label}: ${undone.stdout}${undone.stderr}`).toBe(0);
          expect(withoutJournalDirs(snapshot(loaded.root), before), label).toEqual(before);
          exercised++;
          exercisedByGoal.set(goal.name, (exercisedByGoal.get(goal.name) ?? 0) + 1);
        } finally {
          await loaded.cleanup();
        }
      }
    }
    expect(exercised).toBeGreaterThanOrEqual(0); // some fixtures suit no goal (e.g. IOMMU off in firmware)
  });

  it('exercised every registered goal on at least one fixture', () => {
    for (const goal of goalList) expect(exercisedByGoal.get(goal.name) ?? 0, goal.name).toBeGreaterThan(0);
  });
});
