// The Looking Glass client on this machine: where it is, which version it is (`--version`), and
// launching it with its output captured so a failure can be shown. Always spawned with an argv array.
import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import { versionFromClientOutput, type LgVersion } from '../../shared/lg/client-version';

export const CLIENT_NAME = 'looking-glass-client';

/** Absolute path of the client found on PATH (or in the usual bin directories), or null. */
export function findClient(envPath = process.env.PATH ?? ''): string | null {
  const dirs = [...envPath.split(':').filter((d) => path.isAbsolute(d)), '/usr/bin', '/usr/local/bin'];
  for (const dir of dirs) {
    const candidate = path.join(dir, CLIENT_NAME);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

export interface ClientRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** stdout and stderr interleaved as they came, capped to the last 256 KiB. */
  output: string;
}

const OUTPUT_CAP = 256 * 1024;

/** Runs the client with `args` until it exits; `onOutput` sees output as it arrives. */
export function runClient(program: string, args: string[], options: { timeoutMs?: number; onOutput?: (text: string) => void } = {}): Promise<ClientRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { stdio: ['ignore', 'pipe', 'pipe'], timeout: options.timeoutMs });
    let output = '';
    const take = (chunk: string) => {
      output = (output + chunk).slice(-OUTPUT_CAP);
      options.onOutput?.(chunk);
    };
    child.stdout.setEncoding('utf8').on('data', take);
    child.stderr.setEncoding('utf8').on('data', take);
    child.on('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'ENOENT' ? new Error(`${program} is not installed (or not executable).`) : error),
    );
    child.on('close', (code, signal) => resolve({ code, signal, output }));
  });
}

export interface ClientInfo {
  path: string | null;
  version: LgVersion | null;
  /** What `--version` printed when no version could be read from it. */
  problem: string | null;
}

/** Finds the client and asks its version; absence is an answer, not an error. */
export async function detectClient(program: string | null = findClient()): Promise<ClientInfo> {
  if (!program) return { path: null, version: null, problem: null };
  try {
    const run = await runClient(program, ['--version'], { timeoutMs: 10_000 });
    const version = versionFromClientOutput(run.output);
    return { path: program, version, problem: version ? null : `\`${CLIENT_NAME} --version\` printed no version: ${run.output.trim().slice(0, 300) || `(exit ${run.code})`}` };
  } catch (error) {
    return { path: program, version: null, problem: (error as Error).message };
  }
}

/** The last `lines` lines of output, for an error message. */
export const outputTail = (output: string, lines = 40): string => output.trimEnd().split('\n').slice(-lines).join('\n');
