// The caller's side in the SR-IOV kernel test guest, as the app does it (bundled by sriov.test.ts, run as
// `node request.cjs OPTIONS_JSON`): scan this machine, plan the sriov-vfs goal with the registry's own
// planner, and print the request root gets (goal, options, the reviewed plan's fingerprint; never the plan).
import { scanHost } from '../../electron/host/scan';
import { applyRequest } from '../../electron/system/helper-runner';
import { goalsByName } from '../../shared/plan/goals.registry';

async function main(): Promise<void> {
  const options = JSON.parse(process.argv[2] ?? '{}') as Record<string, unknown>;
  const goal = goalsByName().get('sriov-vfs')!;
  const plan = goal.plan(await scanHost('/'), goal.options.parse(options));
  process.stderr.write(`planned: ${plan.steps.map((s) => s.kind).join(' ')}\n`);
  process.stdout.write(`${applyRequest({ goal: 'sriov-vfs', options, plan })}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`request: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
