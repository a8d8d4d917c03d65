// Options every host-reading command shares (--root, --host, --json), parsed with node:util, and the
// mapping of host-loading errors to distinct exit codes.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { EXIT, type CliIo } from './command';
import {
  HostFileMissingError,
  HostSpecError,
  UnreadableRootError,
  loadHost,
  type LoadedHost,
} from '../host/load';

export const HOST_OPTIONS_HELP = `  --root DIR     scan DIR instead of / (a mounted system or a materialized host)
  --host FILE    scan a host spec (*.host.json) or a snapshot made by \`gpu-ferry snapshot\`
  --json         machine-readable output
  -h, --help     this help

Exit codes: 0 ok, 2 bad usage, 3 host file missing, 4 malformed host file, 5 unreadable root.`;

export const hostOptionConfig = {
  root: { type: 'string' },
  host: { type: 'string' },
  json: { type: 'boolean', default: false },
} as const satisfies ParseArgsConfig['options'];

export interface HostArgs {
  root?: string;
  host?: string;
  json: boolean;
}

export class UsageError extends Error {}

/**
 * Node's parseArgs errors in our words ("unknown option --frob"), so a typo gets a short answer instead
 * of the parser's advice about positionals after "--". Other errors keep their message.
 */
export function usageText(error: unknown): string {
  const e = error as { code?: string; message?: string };
  const message = e.message ?? String(error);
  const option = /'(-{1,2}[^' <]+)/.exec(message)?.[1] ?? '';
  if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `unknown option ${option}`;
  if (e.code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') return `unexpected argument ${/'([^']*)'/.exec(message)?.[1] ?? ''}`.trim();
  if (e.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE')
    return /does not take an argument/.test(message) ? `${option} takes no value` : `${option} needs a value`;
  return message;
}

/** Parses host options plus a command's own; throws UsageError with a readable message. */
export function parseHostArgs<T extends ParseArgsConfig['options']>(args: string[], extra?: T) {
  try {
    const { values, positionals } = parseArgs({
      args,
      options: { ...hostOptionConfig, ...(extra ?? {}) },
      allowPositionals: true,
      strict: true,
    });
    if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`);
    return values as HostArgs & Record<string, unknown>;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(usageText(error));
  }
}

/** Exit code for an error thrown while loading a host. */
export function exitCodeFor(error: unknown): number {
  if (error instanceof UsageError) return EXIT.usage;
  if (error instanceof HostFileMissingError) return EXIT.missingFile;
  if (error instanceof HostSpecError) return EXIT.badSpec;
  if (error instanceof UnreadableRootError) return EXIT.unreadableRoot;
  return EXIT.failure;
}

/**
 * Runs `body` with the loaded host, always cleaning up a materialized root; maps every loading error
 * to its exit code with a message on stderr.
 */
export async function withHost(
  name: string,
  args: string[],
  io: CliIo,
  body: (host: LoadedHost, opts: HostArgs & Record<string, unknown>) => Promise<number>,
  extra?: ParseArgsConfig['options'],
): Promise<number> {
  let opts: HostArgs & Record<string, unknown>;
  let host: LoadedHost;
  try {
    opts = parseHostArgs(args, extra);
    host = await loadHost({ root: opts.root, host: opts.host });
  } catch (error) {
    io.err(`gpu-ferry ${name}: ${(error as Error).message}\n`);
    if (error instanceof UsageError) io.err(`Run \`gpu-ferry ${name} --help\` for usage.\n`);
    return exitCodeFor(error);
  }
  try {
    return await body(host, opts);
  } finally {
    await host.cleanup();
  }
}
