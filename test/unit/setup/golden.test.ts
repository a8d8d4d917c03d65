// Golden plans for every distro fixture host: materialize the spec, scan it with the real scanner, plan
// each goal, compare with test/fixtures/golden/setup/<fixture>.<case>.txt (UPDATE_GOLDEN=1 rewrites
// them), then apply the plan to the materialized tree, scan again and plan again: nothing left to do.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadHost, type LoadedHost } from '../../../electron/host/load';
import { scanHost } from '../../../electron/host/scan';
import { iommuGoal, vfioEarlyGoal } from '../../../shared/setup/goals';
import { applyOnTree } from './apply-on-tree';
import { renderPlan } from './render-plan';

const HOSTS = path.resolve(__dirname, '../../fixtures/hosts');
const GOLDEN = path.resolve(__dirname, '../../fixtures/golden/setup');
const fixtures = readdirSync(HOSTS)
  .filter((f) => f.startsWith('distro-') && f.endsWith('.host.json'))
  .sort();

interface Case {
  name: string;
  goal: typeof iommuGoal;
  options: Record<string, unknown>;
}

/** The cases each fixture gets: iommu, and every vfio-early option set the goal itself offers. */
async function casesOf(fixture: string): Promise<Case[]> {
  const loaded = await loadHost({ host: path.join(HOSTS, fixture) });
  try {
    const vfio = vfioEarlyGoal.examples(loaded.model).map((o) => {
      const options = o as Record<string, unknown>;
      const name = options.remove
        ? 'vfio-early.remove'
        : `vfio-early.gpu-${String(options.gpu).replace(/:/g, '-')}`;
      return { name, goal: vfioEarlyGoal, options };
    });
    return [{ name: 'iommu', goal: iommuGoal, options: {} }, ...vfio];
  } finally {
    await loaded.cleanup();
  }
}

const all = await Promise.all(fixtures.map(async (f) => ({ fixture: f, cases: await casesOf(f) })));

function matchGolden(file: string, text: string): void {
  const golden = path.join(GOLDEN, file);
  if (process.env.UPDATE_GOLDEN === '1') writeFileSync(golden, text);
  if (!existsSync(golden)) throw new Error(`${file} is missing: run with UPDATE_GOLDEN=1 and review it`);
  expect(text).toBe(readFileSync(golden, 'utf8'));
}

let open: LoadedHost | null = null;
afterEach(async () => {
  await open?.cleanup();
  open = null;
});

it('has a fixture for every distro the issue names', () => {
  expect(fixtures.map((f) => f.replace(/^distro-|\.host\.json$/g, ''))).toEqual([
    'arch-grub',
    'arch-refind',
    'arch-sdboot-uki',
    'cachyos-limine',
    'debian',
    'endeavouros',
    'fedora',
    'opensuse',
    'popos',
    'silverblue',
    'ubuntu',
  ]);
});

for (const { fixture, cases } of all) {
  const base = fixture.replace(/\.host\.json$/, '');
  describe(base, () => {
    for (const c of cases) {
      it(`${c.name}: golden plan, then nothing left to do after applying it`, async () => {
        open = await loadHost({ host: path.join(HOSTS, fixture) });
        const options = c.goal.options.parse(c.options);
        const plan = c.goal.plan(open.model, options);
        matchGolden(`${base}.${c.name}.txt`, renderPlan(plan));
        applyOnTree(open.root, plan);
        const again = c.goal.plan(await scanHost(open.root), options);
        expect(renderPlan(again)).toMatch(/^steps: none$/m);
        expect(again.steps).toEqual([]);
        expect(again.reboot).toBeNull();
      });
    }
    const gpuCase = cases.find((c) => c.name.startsWith('vfio-early.gpu'));
    if (gpuCase) {
      it('vfio-early --remove after binding takes every change back out, and a second --remove is empty', async () => {
        open = await loadHost({ host: path.join(HOSTS, fixture) });
        applyOnTree(open.root, vfioEarlyGoal.plan(open.model, gpuCase.options));
        const bound = await scanHost(open.root);
        const removal = vfioEarlyGoal.plan(bound, { remove: true });
        expect(removal.steps.length).toBeGreaterThan(0);
        expect(removal.reboot).not.toBeNull();
        applyOnTree(open.root, removal);
        const after = await scanHost(open.root);
        expect(Object.keys(after.files).filter((p) => p.includes('gpu-ferry'))).toEqual([]);
        expect(vfioEarlyGoal.plan(after, { remove: true }).steps).toEqual([]);
      });
    }
  });
}
