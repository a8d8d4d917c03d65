// Guards on what a plan does to memory and devices, checked against the machine root scanned itself:
//   - huge pages: at most MAX_SHARE of RAM, in the sysctl.d file and in any `sysctl -w` a plan runs
//   - vfio-pci: only for a card's own devices (shared/analyze/card-devices.ts: its slot's functions and
//     what sits behind its own switch; an integrated GPU's only itself and its audio) and the card's IOMMU
//     group peers, with the card claimed too; never a controller (or bridge above it) holding a mounted
//     filesystem or swap, nor the network interface in use (one with a route, or under a bridge, bond or VLAN
//     that has one). Devices claimed by id are every device with that id.
//   - handoff configs (/etc/gpu-ferry/vms/*.conf, read by the hook as root when a VM starts): DEVICES only
//     a card's own devices, the card listed too, by the same rule and the same in-use check.
import { existsSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import type { HostModel } from '../../shared/host/model';
import type { Plan } from '../../shared/plan/model';
import { MAX_SHARE } from '../../shared/vm/hugepages';
import { cardDevices, type CardDevices } from '../../shared/analyze/card-devices';
import { parseHandoffConfig } from '../../shared/handoff/config';

export interface DeviceProblem {
  code: string;
  step: number | null;
  message: string;
}

const PCI_ADDRESS = /[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]/g;

function hugepagesProblem(host: HostModel, pages: number, step: number): DeviceProblem | null {
  if (pages === 0) return null;
  const total = host.memory.MemTotal;
  const page = host.memory.Hugepagesize;
  if (!total || !page) return { code: 'hugepages-unknown-memory', step, message: 'this machine reports no memory size; not reserving huge pages' };
  if (pages * page > total * MAX_SHARE)
    return { code: 'hugepages-too-many', step, message: `${pages} huge pages of ${page} KiB are more than ${MAX_SHARE * 100}% of this machine's ${Math.floor(total / 1024)} MiB of RAM` };
  return null;
}

/** The vfio-pci claims a file content makes: ids and addresses. */
function vfioClaims(text: string): { ids: Set<string>; addresses: Set<string> } {
  const ids = new Set<string>();
  const addresses = new Set<string>();
  for (const m of text.matchAll(/vfio[-_]pci(?:\.| +)ids=([0-9a-f:,]+)/g)) for (const id of (m[1] ?? '').split(',')) if (id) ids.add(id);
  for (const m of text.matchAll(/install vfio-pci for d in ([0-9a-f:. ]+);/g)) for (const a of (m[1] ?? '').trim().split(' ')) if (a) addresses.add(a);
  return { ids, addresses };
}

/** Addresses of the PCI devices (and bridges above them) whose sysfs path SYSFS_LINK resolves through. */
function pciChain(link: string): string[] {
  try {
    return realpathSync(link).match(PCI_ADDRESS) ?? [];
  } catch {
    return [];
  }
}

/** Block device name → itself and every device under it (dm, md, LUKS slaves), as sysfs paths. */
function blockChain(root: string, name: string, depth = 0): string[] {
  const base = `${root}/sys/class/block/${name}`;
  if (depth > 8 || !existsSync(base)) return [];
  const out = pciChain(base);
  let slaves: string[] = [];
  try {
    slaves = readdirSync(`${base}/slaves`);
  } catch {
    // no slaves
  }
  for (const s of slaves) out.push(...blockChain(root, s, depth + 1));
  return out;
}

const readText = (p: string): string => {
  try {
    return readFileSync(p, 'utf8');
  } catch {
    return '';
  }
};

/** PCI addresses that must stay with the host: storage holding a mounted filesystem, network in use. */
export function devicesInUse(root: string): Map<string, string> {
  const inUse = new Map<string, string>();
  for (const line of readText(`${root}/proc/self/mountinfo`).split('\n')) {
    const fields = line.split(' ');
    const dash = fields.indexOf('-');
    const [major, minor] = (fields[2] ?? '').split(':');
    const source = dash >= 0 ? (fields[dash + 2] ?? '') : '';
    const names: string[] = [];
    if (major && major !== '0') {
      try {
        names.push(realpathSync(`${root}/sys/dev/block/${major}:${minor ?? '0'}`).split('/').pop() ?? '');
      } catch {
        // not a block device here
      }
    }
    if (source.startsWith('/dev/')) names.push(source.slice(source.lastIndexOf('/') + 1));
    for (const name of names) for (const a of blockChain(root, name)) inUse.set(a, `holds the filesystem mounted at ${fields[4] ?? '?'}`);
  }
  // Swap on a partition (or a dm/md device over one) is in use like a mounted filesystem.
  for (const line of readText(`${root}/proc/swaps`).split('\n').slice(1)) {
    const source = line.split(/\s+/)[0] ?? '';
    if (source.startsWith('/dev/')) for (const a of blockChain(root, source.slice(source.lastIndexOf('/') + 1))) inUse.set(a, `holds the swap space ${source}`);
  }
  const interfaces = new Set<string>();
  for (const line of readText(`${root}/proc/net/route`).split('\n').slice(1)) {
    const iface = line.split('\t')[0]?.trim();
    if (iface && iface !== 'lo') interfaces.add(iface);
  }
  for (const line of readText(`${root}/proc/net/ipv6_route`).split('\n')) {
    const iface = line.trim().split(/\s+/).pop();
    if (iface && iface !== 'lo') interfaces.add(iface);
  }
  for (const iface of interfaces)
    for (const [name, via] of lowerInterfaces(root, iface))
      for (const a of pciChain(`${root}/sys/class/net/${name}/device`)) inUse.set(a, `is the network interface ${via} in use`);
  return inUse;
}

const IFACE = /^[A-Za-z0-9_.@-]{1,15}$/;

/**
 * IFACE and the interfaces under it (a bridge's ports, a bond's slaves, a VLAN's parent: the kernel's
 * lower_<name> links), each with how the route reaches it ("eth0 (under br0)").
 */
function lowerInterfaces(root: string, iface: string, via = iface, depth = 0, seen = new Set<string>()): [string, string][] {
  if (!IFACE.test(iface) || depth > 8 || seen.has(iface)) return [];
  seen.add(iface);
  let names: string[] = [];
  try {
    names = readdirSync(`${root}/sys/class/net/${iface}`);
  } catch {
    // not an interface here
  }
  const lower = names.filter((n) => n.startsWith('lower_')).map((n) => n.slice('lower_'.length));
  return [[iface, via], ...lower.flatMap((l) => lowerInterfaces(root, l, `${l} (under ${via})`, depth + 1, seen))];
}

/**
 * Why TARGETS (addresses a step hands to vfio-pci or a VM) are not all allowed, or null. Each must be on
 * this machine, not in use, and belong to a card that is itself among the targets: its own device, or
 * (when `peers`) a member of its IOMMU group.
 */
function targetsProblem(host: HostModel, cards: Map<string, CardDevices>, targets: Set<string>, inUse: Map<string, string>, peers: boolean, what: string): Omit<DeviceProblem, 'step'> | null {
  const byAddress = new Map(host.pci.map((d) => [d.address, d]));
  const claimed = [...cards].filter(([gpu]) => targets.has(gpu)).map(([, card]) => card);
  for (const address of targets) {
    const why = inUse.get(address);
    if (why) return { code: 'device-in-use', message: `${what} ${address}, which ${why}` };
    const device = byAddress.get(address);
    if (!device) return { code: 'device-not-allowed', message: `${what} ${address}, which is not on this machine` };
    if (!claimed.some((c) => c.own.has(address) || (peers && c.peers.has(address))))
      return { code: 'device-not-allowed', message: `${what} ${address} (class ${device.classCode}), which is neither a graphics card's own function${peers ? ' nor in its IOMMU group' : ''} (with the card itself)` };
  }
  return null;
}

function vfioProblem(host: HostModel, plan: Plan, cards: Map<string, CardDevices>, inUse: Map<string, string>): DeviceProblem | null {
  for (const [i, step] of plan.steps.entries()) {
    const texts =
      step.kind === 'edit-file' ? [step.before, step.after] : step.kind === 'write-file' ? [step.before ?? '', step.content] : step.kind === 'run' ? ['', step.argv.join(' ')] : null;
    if (!texts) continue;
    const before = vfioClaims(texts[0]!);
    const after = vfioClaims(texts[1]!);
    const targets = new Set<string>();
    for (const id of after.ids) if (!before.ids.has(id)) for (const d of host.pci.filter((d) => `${d.vendorId}:${d.deviceId}` === id)) targets.add(d.address);
    for (const a of after.addresses) if (!before.addresses.has(a)) targets.add(a);
    const problem = targets.size > 0 ? targetsProblem(host, cards, targets, inUse, true, 'vfio-pci would claim') : null;
    if (problem) return { ...problem, step: i };
  }
  return null;
}

const HANDOFF_CONFIG = /^\/etc\/gpu-ferry\/vms\/[^/]+\.conf$/;

/** DEVICES of every handoff config a step writes: a card's own devices only, the card listed too. */
function handoffProblem(host: HostModel, plan: Plan, cards: Map<string, CardDevices>, inUse: Map<string, string>): DeviceProblem | null {
  for (const [i, step] of plan.steps.entries()) {
    const text = step.kind === 'write-file' ? step.content : step.kind === 'edit-file' ? step.after : null;
    if (text === null || !('path' in step) || !HANDOFF_CONFIG.test(step.path)) continue;
    const parsed = parseHandoffConfig(text);
    if (!parsed.ok) return { code: 'content-not-allowed', step: i, message: `'${step.path}' is not a handoff config the hook reads: ${parsed.error}` };
    const problem = targetsProblem(host, cards, new Set(parsed.config.devices), inUse, false, 'the VM would be given');
    if (problem) return { ...problem, step: i };
  }
  return null;
}

export function devicesProblem(host: HostModel, plan: Plan, root = host.root === '/' ? '' : host.root): DeviceProblem | null {
  for (const [i, step] of plan.steps.entries()) {
    const text = step.kind === 'write-file' ? step.content : step.kind === 'edit-file' ? step.after : null;
    if (text !== null && (step.kind === 'write-file' || step.kind === 'edit-file') && /\/sysctl\.d\//.test(step.path)) {
      for (const m of text.matchAll(/vm\.nr_hugepages\s*=\s*(\d+)/g)) {
        const p = hugepagesProblem(host, Number(m[1]), i);
        if (p) return p;
      }
    }
    if (step.kind === 'run' && step.argv[0] === 'sysctl') {
      const m = /^vm\.nr_hugepages=(\d+)$/.exec(step.argv[2] ?? '');
      const p = m ? hugepagesProblem(host, Number(m[1]), i) : null;
      if (p) return p;
    }
  }
  const inUse = devicesInUse(root);
  const cards = cardDevices(host);
  return vfioProblem(host, plan, cards, inUse) ?? handoffProblem(host, plan, cards, inUse);
}
