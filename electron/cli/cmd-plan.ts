// `gpu-ferry plan <goal> [goal flags] [--json] [--root DIR | --host FILE]`: prints the plan a goal makes
// for this machine (or a simulated one) without changing anything. Goals and their flags come from the
// goal registry, so a new goal needs no CLI change.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ParseArgsConfig } from 'node:util';
import type { GoalDefinition } from '../../shared/plan/goals';
import { goalList, goalsByName } from '../../shared/plan/goals.registry';
import type { Plan } from '../../shared/plan/model';
import { renderPlan } from '../../shared/plan/preview';
import type { LoadedHost } from '../host/load';
import { EXIT, type CliCommand, type CliIo } from './command';
import { HOST_OPTIONS_HELP, UsageError, withHost } from './host-options';

export const goalListHelp = (): string => goalList.map((g) => `  ${g.name.padEnd(16)} ${g.summary}`).join('\n');

/** Splits `<goal> [flags]`; unknown goal → UsageError listing the goals. */
export function goalFrom(args: string[]): { goal: GoalDefinition; rest: string[] } {
  const [name, ...rest] = args;
  if (name === undefined || name.startsWith('-')) throw new UsageError(`which goal? One of:\n${goalListHelp()}`);
  const goal = goalsByName().get(name);
  if (!goal) throw new UsageError(`unknown goal '${name}'. Goals:\n${goalListHelp()}`);
  return { goal, rest };
}

/** parseArgs options for a goal's own flags (`--gpu` → option `gpu`). */
export function goalFlagOptions(goal: GoalDefinition): ParseArgsConfig['options'] {
  const options: NonNullable<ParseArgsConfig['options']> = {};
  for (const [flag, spec] of Object.entries(goal.flags)) {
    options[flag.replace(/^--/, '')] = spec.boolean ? { type: 'boolean' } : { type: 'string' };
  }
  return options;
}

/** Parsed flag values → the goal's validated options; a readable UsageError when they do not fit. */
export function goalOptionsFrom(goal: GoalDefinition, values: Record<string, unknown>): unknown {
  const raw: Record<string, unknown> = {};
  for (const [flag, spec] of Object.entries(goal.flags)) {
    const value = values[flag.replace(/^--/, '')];
    if (value !== undefined) raw[spec.key] = value;
  }
  const parsed = goal.options.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => {
      const key = String(i.path[0] ?? '');
      const flag = Object.entries(goal.flags).find(([, s]) => s.key === key)?.[0] ?? key;
      return `${flag || 'options'}: ${i.message}`;
    });
    throw new UsageError(`invalid options for goal '${goal.name}': ${problems.join('; ')}`);
  }
  return parsed.data;
}

export const goalFlagsHelp = (): string =>
  goalList
    .map((g) => {
      const flags = Object.entries(g.flags).map(([f, s]) => `${f}${s.boolean ? '' : ' VALUE'}`);
      return `  ${g.name}: ${flags.length ? flags.join(' ') : '(no flags)'}`;
    })
    .join('\n');

/** Makes the plan for `<goal> [flags]` on a loaded host; runs `body` with it. */
export async function withGoalPlan(
  name: string,
  args: string[],
  io: CliIo,
  extra: ParseArgsConfig['options'],
  body: (plan: Plan, loaded: LoadedHost, opts: Record<string, unknown>, request: { goal: string; options: Record<string, unknown> }) => Promise<number>,
): Promise<number> {
  let goal: GoalDefinition;
  let rest: string[];
  try {
    ({ goal, rest } = goalFrom(args));
  } catch (error) {
    io.err(`gpu-ferry ${name}: ${(error as Error).message}\n`);
    return EXIT.usage;
  }
  return withHost(
    name,
    rest,
    io,
    async (loaded, opts) => {
      let plan: Plan;
      const options = goalOptionsFrom(goal, opts);
      try {
        plan = goal.plan(loaded.model, options as never);
      } catch (error) {
        io.err(`gpu-ferry ${name}: ${(error as Error).message}\n`);
        return error instanceof UsageError ? EXIT.usage : EXIT.refused;
      }
      return body(plan, loaded, opts, { goal: goal.name, options: options as Record<string, unknown> });
    },
    { ...goalFlagOptions(goal), ...extra },
  );
}

/** Today's content of a file in the loaded root, for diffs of write-file steps. */
export const currentContent =
  (root: string) =>
  (file: string): string | null => {
    try {
      return readFileSync(path.join(root, file), 'utf8');
    } catch {
      return null;
    }
  };

export const planCommand: CliCommand = {
  path: ['plan'],
  summary: 'show what a goal would change (diffs and commands), without changing anything',
  help: `Usage: gpu-ferry plan <goal> [goal flags] [--json] [--root DIR | --host FILE]

Prints every step of the plan with its reason: a unified diff for each file, the exact argv for each
command. An empty plan means the machine is already set up. \`gpu-ferry apply\` takes the same arguments.

Goals:
${goalListHelp()}

Goal flags:
${goalFlagsHelp()}

${HOST_OPTIONS_HELP}`,
  run: (args, io) =>
    withGoalPlan('plan', args, io, {}, async (plan, loaded, opts) => {
      io.out(opts.json ? JSON.stringify(plan, null, 2) + '\n' : renderPlan(plan, currentContent(loaded.root)));
      return EXIT.ok;
    }),
};
