// Every golden setup plan (iommu, vfio-early --gpu, vfio-early --remove on each distro fixture) applied by
// the real helper to the materialized fixture root, then undone: the tree comes back byte for byte.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadHost } from '../../electron/host/load';
import { encodePlan } from '../../shared/plan/encode';
import type { Plan } from '../../shared/plan/model';
import { iommuGoal, vfioEarlyGoal } from '../../shared/setup/goals';
import { giveAway, helper, snapshot, withoutJournalDirs } from './lib';

const HOSTS = path.resolve(__dirname, '../fixtures/hosts');
const fixtures = readdirSync(HOSTS)
  .filter((f) => f.startsWith('distro-') && f.endsWith('.host.json'))
  .sort();

/** The file content each file step leaves behind (null: removed). */
function expectedFiles(plan: Plan): Map<string, string | null> {
  const out = new Map<string, string | null>();
  for (const s of plan.steps) {
    if (s.kind === 'write-file') out.set(s.path, s.content);
    else if (s.kind === 'edit-file') out.set(s.path, s.after);
    else if (s.kind === 'remove-file') out.set(s.path, null);
  }
  return out;
}

describe.each(fixtures)('%s', (fixture) => {
  it('applies and undoes the iommu and vfio-early plans through the real helper, byte for byte', async () => {
    const probe = await loadHost({ host: path.join(HOSTS, fixture) });
    const cases: { goal: typeof iommuGoal; options: object }[] = [
      { goal: iommuGoal, options: {} },
      ...vfioEarlyGoal
        .examples(probe.model)
        .map((options) => ({ goal: vfioEarlyGoal, options: options as object })),
    ];
    await probe.cleanup();
    let applied = 0;
    for (const c of cases) {
      const loaded = await loadHost({ host: path.join(HOSTS, fixture) });
      try {
        const plan = c.goal.plan(loaded.model, c.goal.options.parse(c.options));
        if (plan.steps.length === 0) continue;
        const root = loaded.root;
        giveAway(root);
        const before = snapshot(root);
        const apply = helper(['--root', root, 'apply'], encodePlan(plan));
        expect(apply.stdout, `${plan.goal} ${JSON.stringify(c.options)}`).not.toMatch(/^error /m);
        expect(apply.status).toBe(0);
        // Every step (numbered from 0) reported: files done, commands checked against the allowlist but not run.
        plan.steps.forEach((s, i) =>
          expect(apply.stdout).toMatch(
            new RegExp(`^result ${i} ${s.kind === 'run' ? 'not-executed' : 'ok'} `, 'm'),
          ),
        );
        for (const [p, content] of expectedFiles(plan)) {
          const full = path.join(root, p);
          if (content === null) expect(existsSync(full)).toBe(false);
          else expect(readFileSync(full, 'utf8')).toBe(content);
        }
        const undo = helper(['--root', root, 'undo', 'last']);
        expect(undo.stdout).toMatch(/^undone /m);
        expect(undo.status).toBe(0);
        expect(withoutJournalDirs(snapshot(root), before)).toEqual(before);
        applied++;
      } finally {
        await loaded.cleanup();
      }
    }
    expect(applied).toBeGreaterThan(0);
  });
});
