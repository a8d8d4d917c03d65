// The single entry every CLI command and service uses to get a host model: the real machine, another
// root directory (--root), or a host spec / snapshot file (--host) materialized into a temporary root.
import { readFile, stat, readdir } from 'node:fs/promises';
import path from 'node:path';
import type { HostModel } from '../../shared/host/model';
import {
  HostSpecError,
  materializeHostSpec,
  materializeSnapshot,
  type MaterializedRoot,
} from './materialize';
import { scanHost } from './scan';

/** The --host file does not exist or cannot be read. */
export class HostFileMissingError extends Error {
  constructor(
    readonly file: string,
    reason: string,
  ) {
    super(`cannot read host file ${file}: ${reason}`);
    this.name = 'HostFileMissingError';
  }
}

/** The --root directory is missing, not a directory or not readable. */
export class UnreadableRootError extends Error {
  constructor(
    readonly root: string,
    reason: string,
  ) {
    super(`cannot scan root ${root}: ${reason}`);
    this.name = 'UnreadableRootError';
  }
}

export { HostSpecError };

export interface LoadedHost {
  model: HostModel;
  root: string;
  cleanup(): Promise<void>;
}

export interface LoadOptions {
  root?: string;
  /** Path of a `*.host.json` spec or a `gpu-ferry-snapshot/1` file. */
  host?: string;
}

async function readHostFile(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new HostFileMissingError(
      file,
      code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : String(code ?? error),
    );
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new HostSpecError([`not valid JSON: ${(error as Error).message}`], file);
  }
}

/** Materializes a parsed spec or snapshot, choosing by its `format`. */
/** A host file's name without its extension: what the window calls a simulated machine. */
export const hostFileLabel = (file: string): string => path.basename(file).replace(/(\.host)?\.json$/, '');

export async function materializeHostFile(data: unknown, source: string): Promise<MaterializedRoot> {
  const format =
    typeof data === 'object' && data !== null ? (data as { format?: unknown }).format : undefined;
  if (format === 'gpu-ferry-snapshot/1') return materializeSnapshot(data, undefined, source);
  if (format === 'gpu-ferry-host/1') return materializeHostSpec(data, undefined, source);
  throw new HostSpecError(
    [`format: must be "gpu-ferry-host/1" or "gpu-ferry-snapshot/1" (got ${JSON.stringify(format)})`],
    source,
  );
}

export async function checkRoot(root: string): Promise<void> {
  try {
    const st = await stat(root);
    if (!st.isDirectory()) throw new UnreadableRootError(root, 'not a directory');
    await readdir(root);
  } catch (error) {
    if (error instanceof UnreadableRootError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new UnreadableRootError(
      root,
      code === 'ENOENT'
        ? 'no such directory'
        : code === 'EACCES'
          ? 'permission denied'
          : String(code ?? error),
    );
  }
}

export async function loadHost(opts: LoadOptions = {}): Promise<LoadedHost> {
  if (opts.host !== undefined && opts.root !== undefined) {
    throw new HostSpecError(['--root and --host cannot be used together']);
  }
  if (opts.host !== undefined) {
    const file = path.resolve(opts.host);
    const materialized = await materializeHostFile(await readHostFile(file), opts.host);
    try {
      const model = await scanHost(materialized.root);
      return { model, root: materialized.root, cleanup: materialized.cleanup };
    } catch (error) {
      await materialized.cleanup();
      throw error;
    }
  }
  const root = path.resolve(opts.root ?? '/');
  await checkRoot(root);
  return { model: await scanHost(root), root, cleanup: async () => {} };
}
