// Gathers the facts the VM preflight needs from the machine (under `root`, "/" normally) and evaluates
// them with shared/vm/preflight.ts: hook and handoff runtime hashes, firmware descriptors, swtpm, loader
// paths, and who holds the GPU (dual-GPU mode).
import { createHash } from 'node:crypto';
import { access, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { HOOK_PATH, RUNTIME_PATH } from '../../shared/handoff/installed-paths';
import type { HostModel } from '../../shared/host/model';
import type { PreflightItem } from '../../shared/ipc/contract';
import { findFirst, parseXml } from '../../shared/vm/domain-xml';
import { passedThrough } from '../../shared/vm/gpu-hostdev';
import { evaluatePreflight, vmMode, type GpuHolder, type InstalledFile } from '../../shared/vm/preflight';
import { findHolders, gpuDeviceNodes } from './gpu-holders';
import { bundledFile } from './helper-paths';

/** Installed path → file shipped in resources/ (the hook and the runtime it calls). */
export const HANDOFF_FILES: { installed: string; bundled: string[] }[] = [
  { installed: HOOK_PATH, bundled: ['hooks', 'gpu-ferry'] },
  { installed: RUNTIME_PATH, bundled: ['handoff', 'gpu-ferry-handoff'] },
];

const FIRMWARE_DIRS = ['/usr/share/qemu/firmware', '/etc/qemu/firmware'];
const BIN_DIRS = ['/usr/bin', '/usr/local/bin', '/bin', '/usr/sbin'];

async function sha256(file: string): Promise<string | null> {
  try {
    return createHash('sha256').update(await readFile(file)).digest('hex');
  } catch {
    return null;
  }
}

const exists = async (file: string) =>
  access(file).then(
    () => true,
    () => false,
  );

export interface PreflightInput {
  host: HostModel;
  xml: string;
  /** Root the checks read from ("/" on the real machine). */
  root: string;
  /** Where the app's copies of the hook and runtime are (default: bundled resources). */
  resourcePath?: (parts: string[]) => string;
}

export interface PreflightReport {
  items: PreflightItem[];
  /** In dual-GPU mode without root, other users' processes could not be inspected. */
  holdersIncomplete: boolean;
}

export async function runPreflight(input: PreflightInput): Promise<PreflightReport> {
  const { host, xml, root } = input;
  const at = (p: string) => path.join(root, p);
  const resource = input.resourcePath ?? ((parts: string[]) => bundledFile(...parts));
  const handoffFiles: InstalledFile[] = [];
  for (const f of HANDOFF_FILES) {
    let bundled: string | null;
    try {
      bundled = resource(f.bundled);
    } catch {
      bundled = null; // no resources/ next to this copy: reported as "the app's own copy is missing"
    }
    const expected = bundled === null ? null : await sha256(bundled);
    handoffFiles.push({ path: f.installed, expected, installed: await sha256(at(f.installed)) });
  }
  const firmwareDescriptors: string[] = [];
  for (const dir of FIRMWARE_DIRS) {
    try {
      firmwareDescriptors.push(...(await readdir(at(dir))).filter((f) => f.endsWith('.json')).map((f) => `${dir}/${f}`));
    } catch {
      // Directory absent: no descriptors there.
    }
  }
  const tree = parseXml(xml);
  const namedPaths = [findFirst(tree.root, 'os/loader'), findFirst(tree.root, 'os/nvram')]
    .map((el) => el?.text.trim() ?? '')
    .filter((p) => p.startsWith('/'));
  const existingPaths: string[] = [];
  for (const p of namedPaths) if (await exists(at(p))) existingPaths.push(p);
  let swtpm = host.commands.includes('swtpm');
  for (const dir of BIN_DIRS) if (!swtpm && (await exists(at(`${dir}/swtpm`)))) swtpm = true;

  let holders: GpuHolder[] = [];
  let holdersIncomplete = false;
  if (vmMode(host, xml) === 'dual-gpu') {
    const byAddress = new Map(host.pci.map((d) => [d.address, d]));
    const nodes: string[] = [];
    for (const address of passedThrough(xml)) nodes.push(...(await gpuDeviceNodes(root, address, byAddress.get(address)?.driver ?? null)));
    const scan = await findHolders(root, nodes);
    holders = scan.holders;
    holdersIncomplete = scan.unreadable > 0;
  }
  const items = evaluatePreflight({ host, xml, handoffFiles, firmwareDescriptors, existingPaths, swtpm, holders });
  if (holdersIncomplete)
    items.push({
      id: 'gpu-holders-incomplete',
      status: 'warn',
      message: "Other users' processes could not be inspected; the list of GPU users may be incomplete.",
      fix: 'Run the check as root (sudo gpu-ferry vm check NAME) to see every process.',
    });
  return { items, holdersIncomplete };
}
