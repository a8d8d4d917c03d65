// The privileged apply of the IOMMU plan on a GRUB machine (the Debian fixture: edit /etc/default/grub,
// update-grub) against computing that plan, in the same run. Computing: the app's scan of the tree and
// the planner, in process. Applying: the real privileged program (dist/privileged/, as nobody when we are
// root, --root on a fresh copy of the tree each time), from spawn to exit: Node start, request parsing,
// root's own scan and plan, guards, journal with backups, the write, done. The budget: the apply
// adds at most 0.4 s. Written to bench-results/privileged-apply.json by `npm run bench`.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadHost, materializeHostFile } from '../../electron/host/load';
import { applyRequest } from '../../electron/system/helper-runner';
import { goalsByName } from '../../shared/plan/goals.registry';
import { summarize, type Bench } from './bench';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../..');
const PRIVILEGED = path.join(repo, 'dist/privileged/gpu-ferry-privileged.cjs');
const FIXTURE = path.join(repo, 'test/fixtures/hosts/distro-debian.host.json');
const ITERATIONS = 15;
const BUDGET_MS = 400;
const asRoot = process.getuid?.() === 0;

const bench: Bench = {
  name: 'privileged-apply',
  description: 'IOMMU plan on a GRUB machine: computing the plan (scan + planner) vs the privileged apply (spawn to exit)',
  async run() {
    const materialized = await materializeHostFile(JSON.parse(readFileSync(FIXTURE, 'utf8')) as unknown, FIXTURE);
    const goal = goalsByName().get('iommu')!;
    const planSamples: number[] = [];
    const applySamples: number[] = [];
    let steps = 0;
    try {
      for (let i = 0; i < ITERATIONS + 2; i++) {
        const tree = mkdtempSync(path.join(tmpdir(), 'gpu-ferry-bench-'));
        cpSync(materialized.root, tree, { recursive: true });
        if (asRoot) spawnSync('chown', ['-R', 'nobody:', tree]);
        const t0 = performance.now();
        const loaded = await loadHost({ root: tree });
        const plan = goal.plan(loaded.model, goal.options.parse({}));
        const t1 = performance.now();
        steps = plan.steps.length;
        const argv = [...(asRoot ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'] : []), process.execPath, PRIVILEGED, '--root', tree, 'apply'];
        const input = applyRequest({ goal: 'iommu', options: {}, plan });
        const t2 = performance.now();
        const r = spawnSync(argv[0]!, argv.slice(1), { input, encoding: 'utf8' });
        const t3 = performance.now();
        rmSync(tree, { recursive: true, force: true });
        if (r.status !== 0) throw new Error(`privileged apply failed: ${r.stdout}${r.stderr}`);
        if (i >= 2) {
          planSamples.push(t1 - t0);
          applySamples.push(t3 - t2);
        }
      }
    } finally {
      await materialized.cleanup();
    }
    const computing = summarize(planSamples);
    const applying = summarize(applySamples);
    return {
      fixture: 'distro-debian (GRUB)',
      steps,
      computePlan: computing,
      privilegedApply: applying,
      addedByApplyMedianMs: applying.medianMs,
      budgetMs: BUDGET_MS,
      withinBudget: applying.medianMs <= BUDGET_MS,
    };
  },
};

export default bench;
