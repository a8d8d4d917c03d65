// The request the app sends for a goal, computed by whoever runs this (the real-root tests bundle it and
// run it as nobody in their mount namespace): the same scanner and planner, only the fingerprint sent.
// Prints {request, steps, readable}: `readable` says whether this user could read each path given.
// Usage: node request-as-caller.cjs GOAL OPTIONS-JSON [PATH...]
import { accessSync, constants } from 'node:fs';
import { scanHost } from '../../../electron/host/scan';
import { goalsByName } from '../../../shared/plan/goals.registry';
import { request } from './request';

const canRead = (p: string): boolean => {
  try {
    accessSync(p, constants.R_OK);
    return true;
  } catch {
    return false;
  }
};

async function main(): Promise<void> {
  const [goalName = '', optionsJson = '{}', ...paths] = process.argv.slice(2);
  const goal = goalsByName().get(goalName);
  if (!goal) throw new Error(`no goal ${goalName}`);
  const options = JSON.parse(optionsJson) as Record<string, unknown>;
  const plan = goal.plan(await scanHost('/'), goal.options.parse(options));
  process.stdout.write(JSON.stringify({ request: request(goalName, options, plan), steps: plan.steps, readable: Object.fromEntries(paths.map((p) => [p, canRead(p)])) }));
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
