// What the system integration looks like on this machine: each file of the system-files list installed
// (same bytes and mode as this copy's), missing, or different; and whether the system's Node.js, which
// runs the privileged program, is there and new enough. Read without privileges.
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, readFileSync } from 'node:fs';
import type { IntegrationStatus } from '../../shared/ipc/contract';
import { SYSTEM_NODE } from './helper-paths';
import { readSystemFiles, sourcePath } from './system-files';

/** The privileged bundle targets node18 (Debian 12's nodejs). */
export const MIN_NODE_MAJOR = 18;

export function systemNode(): IntegrationStatus['node'] {
  if (!existsSync(SYSTEM_NODE)) {
    return { path: SYSTEM_NODE, version: null, ok: false, message: `GPU Ferry's privileged program runs with the system's Node.js, and ${SYSTEM_NODE} is missing: install your distribution's nodejs package (version ${MIN_NODE_MAJOR} or newer) first.` };
  }
  const r = spawnSync(SYSTEM_NODE, ['--version'], { encoding: 'utf8', env: {}, timeout: 20_000 });
  const version = /^v(\d+)\.\d+\.\d+/.exec(r.stdout.trim());
  const ok = version !== null && Number(version[1]) >= MIN_NODE_MAJOR;
  return {
    path: SYSTEM_NODE,
    version: version ? r.stdout.trim() : null,
    ok,
    message: ok ? `${SYSTEM_NODE} ${r.stdout.trim()}` : `${SYSTEM_NODE} is ${r.stdout.trim() || 'not runnable'}; GPU Ferry's privileged program needs Node.js ${MIN_NODE_MAJOR} or newer.`,
  };
}

const sha = (file: string): string | null => {
  try {
    return createHash('sha256').update(readFileSync(file)).digest('hex');
  } catch {
    return null;
  }
};

export function integrationStatus(): IntegrationStatus {
  const files = readSystemFiles().map((f) => {
    let state: 'installed' | 'missing' | 'different' = 'missing';
    const st = existsSync(f.target) ? lstatSync(f.target) : null;
    if (st) state = st.isFile() && (st.mode & 0o7777) === f.mode && st.uid === 0 && sha(f.target) === sha(sourcePath(f.source)) ? 'installed' : 'different';
    return { target: f.target, mode: f.mode.toString(8).padStart(4, '0'), source: f.source, state };
  });
  const node = systemNode();
  return { installed: files.every((f) => f.state === 'installed') && node.ok, files, node };
}
