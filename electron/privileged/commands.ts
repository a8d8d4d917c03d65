// Running a command of a plan root computed: the program found in fixed system directories (never
// through PATH or the caller's environment), a clean environment, its output streamed as progress.
// Simulating (--root), nothing runs: the command is reported `not-executed`.
import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import type { Step } from '../../shared/plan/model';
import { emit, printable } from './output';

const PROGRAM_DIRS = ['/usr/bin', '/usr/sbin', '/bin', '/sbin'];
const CLEAN_ENV = { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', LC_ALL: 'C' };

/** Absolute path of an installed program, or null. */
export function resolveProgram(name: string): string | null {
  if (!/^[a-z0-9][a-z0-9_.-]{0,63}$/.test(name)) return null;
  for (const dir of PROGRAM_DIRS) {
    try {
      const st = statSync(`${dir}/${name}`);
      if (st.isFile() && (st.mode & 0o111) !== 0) return `${dir}/${name}`;
    } catch {
      // not here
    }
  }
  return null;
}

/** The argv a command step runs (program name first), or null for file steps. */
export function stepArgv(step: Step): string[] | null {
  switch (step.kind) {
    case 'run':
      return step.argv;
    case 'module-load':
      return ['modprobe', '--', step.module, ...(step.params ?? [])];
    case 'unit':
      return ['systemctl', step.action, '--', step.unit];
    default:
      return null;
  }
}

/** Runs argv (name resolved) on the live system; resolves true when it exited 0. */
export async function runLive(step: number, argv: string[]): Promise<boolean> {
  const program = resolveProgram(argv[0] ?? '');
  if (!program) {
    emit({ type: 'progress', step, text: `${argv[0] ?? ''} is not installed` });
    return false;
  }
  const child = spawn(program, argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], env: CLEAN_ENV, cwd: '/' });
  let pending = '';
  const onData = (chunk: Buffer) => {
    pending += chunk.toString('utf8');
    let nl: number;
    while ((nl = pending.indexOf('\n')) >= 0) {
      emit({ type: 'progress', step, text: printable(pending.slice(0, nl)) });
      pending = pending.slice(nl + 1);
    }
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const code = await new Promise<number | null>((resolve) => {
    child.on('error', () => resolve(null));
    child.on('close', (c) => resolve(c));
  });
  if (pending) emit({ type: 'progress', step, text: printable(pending) });
  return code === 0;
}

/** How a command shows in results and pending lines: the program as found, then its arguments. */
export const shownCommand = (argv: string[]): string => [resolveProgram(argv[0] ?? '') ?? `${argv[0] ?? ''}`, ...argv.slice(1)].join(' ');
