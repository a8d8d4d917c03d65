// The Looking Glass state the app and `gpu-ferry looking-glass status` show, and launching the client for
// a running VM. The services layer (lg.status / lg.launch channels) calls these.
import { spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { readClientIni, type ClientChoices } from '../../shared/lg/client-config';
import { KVMFR_DEVICE, SHM_PATH } from '../../shared/lg/paths';
import { detectClient, findClient, outputTail } from './looking-glass-client';
import { defaultConfigDir } from './looking-glass-config';
import { domainState, type VirshOptions } from './virsh';
import { readFile } from 'node:fs/promises';

export interface SharedMemoryState {
  path: string;
  exists: boolean;
  sizeMiB: number | null;
}

const memoryState = (root: string, file: string): SharedMemoryState => {
  const full = path.join(root, file);
  if (!existsSync(full)) return { path: file, exists: false, sizeMiB: null };
  const st = statSync(full);
  // A character device (kvmfr) has no size in stat; the shm file does.
  return { path: file, exists: true, sizeMiB: st.isFile() ? st.size / (1024 * 1024) : null };
};

export interface LgLiveState {
  client: { path: string | null; version: string | null; problem: string | null };
  kvmfr: SharedMemoryState;
  shm: SharedMemoryState;
  clientConfig: { file: string; settings: Partial<ClientChoices> } | null;
}

export async function liveState(root = '/'): Promise<LgLiveState> {
  const live = path.resolve(root) === '/';
  const client = live ? await detectClient() : { path: null, version: null, problem: 'not checked on a simulated root' };
  let clientConfig: LgLiveState['clientConfig'] = null;
  if (live) {
    const file = path.join(defaultConfigDir(), 'client.ini');
    try {
      clientConfig = { file, settings: readClientIni(await readFile(file, 'utf8')) };
    } catch {
      clientConfig = null;
    }
  }
  return {
    client: { path: client.path, version: client.version?.raw ?? null, problem: client.problem },
    kvmfr: memoryState(root, KVMFR_DEVICE),
    shm: memoryState(root, SHM_PATH),
    clientConfig,
  };
}

export class NotRunningError extends Error {}

/** Starts the client for a running VM in the background (the app's Launch button); returns its pid. */
export async function launchForVm(vm: string, options: VirshOptions & { onExit?: (code: number | null, outputTail: string) => void } = {}): Promise<{ pid: number }> {
  const state = await domainState(vm, options);
  if (state !== 'running') throw new NotRunningError(`${vm} is not running (${state}); start it first.`);
  const program = findClient();
  if (!program) throw new Error('looking-glass-client is not installed.');
  const child = spawn(program, [], { stdio: ['ignore', 'pipe', 'pipe'], detached: false });
  let output = '';
  const take = (chunk: string) => (output = (output + chunk).slice(-64 * 1024));
  child.stdout.setEncoding('utf8').on('data', take);
  child.stderr.setEncoding('utf8').on('data', take);
  child.on('close', (code) => options.onExit?.(code, outputTail(output)));
  const pid = await new Promise<number>((resolve, reject) => {
    child.once('spawn', () => resolve(child.pid ?? -1));
    child.once('error', reject);
  });
  return { pid };
}
