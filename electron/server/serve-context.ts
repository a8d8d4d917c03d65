// The service context browser mode runs with: a fixture host materialized into a temporary root that
// plans apply to (demo / --host), VMs in a file-backed libvirt test driver that remembers them; or the real machine (read-only unless
// --allow-system-changes).
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { hostFileLabel, materializeHostFile } from '../host/load';
import { createDemoLibvirt } from '../system/demo-libvirt';
import type { ServiceContext } from '../services/context';
import { createEventHub, type EventHub } from '../services/events';
import { handSimulatedRootToUser } from './simulated-root-owner';

export interface ServeSetup {
  ctx: ServiceContext;
  events: EventHub;
  /** Temporary root the simulated machine lives in (null on the real machine). */
  simulatedRoot: string | null;
  /** Lines to tell the person (where the demo lives, what is missing). */
  notes: string[];
  cleanup(): Promise<void>;
}

export const virshAvailable = (): boolean => {
  const r = spawnSync('virsh', ['--version'], { stdio: 'ignore' });
  return r.status === 0;
};

export const createServeSetup = async (opts: { hostFile: string | null; version: string; libvirtUri?: string }): Promise<ServeSetup> => {
  const events = createEventHub();
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'gpu-ferry-serve-data-'));
  const notes: string[] = [];
  if (opts.hostFile === null) {
    return {
      ctx: { hostSource: {}, simulatedRoot: null, libvirtUri: opts.libvirtUri ?? 'qemu:///system', dataDir, events, shell: 'browser', version: opts.version },
      events,
      simulatedRoot: null,
      notes,
      cleanup: () => rm(dataDir, { recursive: true, force: true }),
    };
  }
  const text = await readFile(opts.hostFile, 'utf8');
  const materialized = await materializeHostFile(JSON.parse(text) as unknown, opts.hostFile);
  await handSimulatedRootToUser(materialized.root);
  notes.push(`Simulated machine from ${opts.hostFile}, in ${materialized.root}`);
  const libvirtUri = opts.libvirtUri ?? (await createDemoLibvirt(dataDir));
  if (!virshAvailable())
    notes.push('virsh was not found: VMs cannot be listed or launched. Install libvirt-clients (Debian/Ubuntu) or libvirt-client (Fedora).');
  else if (opts.libvirtUri === undefined)
    notes.push(`VMs live in libvirt's test driver (${libvirtUri}), a file that remembers what you define and start: nothing runs on this machine.`);
  else if (libvirtUri.startsWith('test:')) notes.push(`VMs live in libvirt's test driver (${libvirtUri}): nothing runs on this machine.`);
  else notes.push(`VMs come from ${libvirtUri}: starting one starts a real VM on this machine.`);
  return {
    ctx: {
      hostSource: { root: materialized.root },
      simulatedRoot: materialized.root,
      hostLabel: hostFileLabel(opts.hostFile),
      libvirtUri,
      dataDir,
      events,
      shell: 'browser',
      version: opts.version,
    },
    events,
    simulatedRoot: materialized.root,
    notes,
    cleanup: async () => {
      await materialized.cleanup();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
};
