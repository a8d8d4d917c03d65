// `gpu-ferry apply <goal> [goal flags] [--yes] [--root DIR] [--json]`: shows the plan, asks, then applies
// it through the helper (pkexec on the real machine; --root DIR simulates on a tree, live steps not run).
import { createInterface } from 'node:readline/promises';
import type { ApplyResult } from '../../shared/ipc/contract';
import { renderPlan } from '../../shared/plan/preview';
import { applyPlan } from '../system/helper-runner';
import { HelperError } from '../system/pkexec-errors';
import { EXIT, type CliIo } from './command';
import type { CliCommand } from './command';
import { currentContent, goalFlagsHelp, goalListHelp, withGoalPlan } from './cmd-plan';

/** Asks on the terminal (one line); without one (and without --yes) the answer is no. */
export async function confirm(io: CliIo, question: string): Promise<boolean> {
  if (!io.tty || !process.stdin.isTTY) return false;
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    const answer = await rl.question(`${question} [y/N] `);
    return /^\s*y(es)?\s*$/i.test(answer);
  } finally {
    rl.close();
  }
}

/** Exit code and message for a helper failure, shared by apply and undo. */
export function helperFailure(name: string, error: unknown, io: CliIo): number {
  if (!(error instanceof HelperError)) throw error;
  io.err(`gpu-ferry ${name}: ${error.message}\n`);
  switch (error.code) {
    case 'dismissed':
      return EXIT.cancelled;
    case 'not-authorized':
      return EXIT.notAuthorized;
    case 'not-installed':
    case 'no-polkit-agent':
      return EXIT.unavailable;
    case 'rejected':
    case 'refused':
    case 'busy':
      return EXIT.refused;
    case 'root-owned-tree':
    case 'usage':
      return EXIT.usage;
    default:
      return EXIT.failure;
  }
}

export const resultText = (result: ApplyResult): string =>
  result.steps.map((s) => `  ${String(s.index + 1).padStart(2)}. ${s.status.padEnd(12)} ${s.message}`).join('\n') + '\n';

export const applyCommand: CliCommand = {
  path: ['apply'],
  summary: 'apply the plan for a goal (one password prompt, journaled, undoable)',
  help: `Usage: gpu-ferry apply <goal> [goal flags] [--yes] [--root DIR] [--json]

Shows the plan (as \`gpu-ferry plan\` does), asks for confirmation unless --yes, then asks GPU Ferry's
privileged program (through pkexec) to apply it: root scans the machine and computes the same plan
itself, refuses when it differs from the one shown, and backs up every file in its journal first;
\`gpu-ferry undo last\` reverts it. --root DIR applies to the tree DIR instead of / (files land under DIR,
are journaled under DIR/var/lib/gpu-ferry; commands, modules and units are checked and reported, never run).

Goals:
${goalListHelp()}

Goal flags:
${goalFlagsHelp()}

  --yes          apply without asking
  --root DIR     simulate on the directory tree DIR
  --json         machine-readable result

Exit codes: 0 applied, 2 bad usage, 6 refused by the helper, 7 not authorized, 8 cancelled, 9 helper not installed.`,
  run: (args, io) =>
    withGoalPlan('apply', args, io, { yes: { type: 'boolean', default: false } }, async (plan, loaded, opts, request) => {
      if (opts.host !== undefined) {
        io.err('gpu-ferry apply: --host describes a machine to plan for and cannot be changed; use --root DIR to simulate.\n');
        return EXIT.usage;
      }
      if (plan.steps.length === 0) {
        io.out(opts.json ? JSON.stringify({ journalId: null, steps: [] }) + '\n' : 'Nothing to do: this machine is already set up.\n');
        return EXIT.ok;
      }
      if (!opts.json) io.out(renderPlan(plan, currentContent(loaded.root)));
      if (opts.yes !== true && !(await confirm(io, `Apply these ${plan.steps.length} steps${opts.root ? ` to ${String(opts.root)}` : ''}?`))) {
        io.err(io.tty ? 'Nothing was changed.\n' : 'Nothing was changed: no terminal to confirm on; re-run with --yes.\n');
        return EXIT.cancelled;
      }
      let result: ApplyResult;
      try {
        result = await applyPlan({ ...request, plan }, {
          root: typeof opts.root === 'string' ? opts.root : undefined,
          onLine: (line) => {
            if (!opts.json && line.type === 'progress') io.err(`  [${line.step + 1}] ${line.text}\n`);
          },
        });
      } catch (error) {
        return helperFailure('apply', error, io);
      }
      if (opts.json) io.out(JSON.stringify(result, null, 2) + '\n');
      else io.out(`\nApplied (journal ${String(result.journalId)}; undo with \`gpu-ferry undo ${String(result.journalId)}\`):\n${resultText(result)}${plan.reboot ? `Reboot to finish: ${plan.reboot}\n` : ''}`);
      return EXIT.ok;
    }),
};
