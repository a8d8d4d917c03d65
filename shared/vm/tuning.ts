// GPU Ferry's tuning (CPU pinning, Hyper-V enlightenments, host-passthrough CPU, no balloon, hugepages)
// applied to an EXISTING domain XML through the position-preserving editor, and removed again.
// Every element we replace or add is recorded, with its exact original text, in a <metadata> element of
// our own; removal puts those bytes back, so apply + remove gives the original document byte for byte.
// A user's own <cputune>, <cpu>, <hyperv> or <memballoon> is replaced, not refused: its original is in
// the record (and in the backup `vm attach` makes), the caller is told, and removal restores it.
import type { CpuInfo } from '../host/model';
import { cputuneXml, planCpuPinning, type CpuPinning } from './cpu-pinning';
import { ensureChild, escapeText, findAll, findFirst, insertChild, parseXml, removeElement, replaceElement, XmlEditError, type XmlElement } from './domain-xml';
import { cpuXml, hugepagesBackingXml, hypervXml, memballoonNoneXml } from './tuning-xml';

import { TUNING_OPTIONS, type TuningOption } from './tuning-options';

export { TUNING_OPTIONS, type TuningOption };

export const TUNING_NS = 'https://gpu-ferry.app/xmlns/tuning/1';
const RECORD = 'gpu-ferry:tuning';
const SAVED = 'gpu-ferry:saved';

export interface TuningRequest {
  options: TuningOption[];
  /** The host's CPU: topology for pinning, flags for AMD topoext. */
  cpu: CpuInfo;
  /** Physical cores the host keeps (default from cpu-pinning). */
  hostCores?: number;
}

export interface TuningResult {
  xml: string;
  pinning: CpuPinning | null;
  /** Elements the user had that the tuning replaced (their originals are kept in the record). */
  replaced: string[];
  /** Every option now applied (earlier ones kept). */
  applied: TuningOption[];
}

/** Parses a comma-separated list such as `pinning,hyperv`; `all` means every option. */
export function parseTuningOptions(text: string): TuningOption[] {
  const words = text.split(',').map((w) => w.trim()).filter(Boolean);
  if (words.length === 0) throw new XmlEditError(`No tuning option given; choose from ${TUNING_OPTIONS.join(', ')} or all.`);
  if (words.includes('all')) return [...TUNING_OPTIONS];
  for (const w of words)
    if (!(TUNING_OPTIONS as readonly string[]).includes(w)) throw new XmlEditError(`Unknown tuning option "${w}"; choose from ${TUNING_OPTIONS.join(', ')} or all.`);
  return TUNING_OPTIONS.filter((o) => words.includes(o));
}

interface Saved {
  path: string;
  /** Exact original text of the element; null when it did not exist. */
  original: string | null;
}

/** Where an element goes when absent: in `parent`, before the first existing sibling named in `before`. */
interface Slot {
  path: string;
  parent: string;
  before: string[];
}

const SLOTS: Record<string, Slot> = {
  memoryBacking: { path: 'memoryBacking', parent: '', before: ['vcpu'] },
  hugepages: { path: 'memoryBacking/hugepages', parent: 'memoryBacking', before: [] },
  vcpu: { path: 'vcpu', parent: '', before: ['os'] },
  iothreads: { path: 'iothreads', parent: '', before: ['cputune', 'os'] },
  cputune: { path: 'cputune', parent: '', before: ['os'] },
  features: { path: 'features', parent: '', before: ['cpu', 'clock', 'on_poweroff', 'devices'] },
  hyperv: { path: 'features/hyperv', parent: 'features', before: [] },
  cpu: { path: 'cpu', parent: '', before: ['clock', 'on_poweroff', 'devices'] },
  memballoon: { path: 'devices/memballoon', parent: 'devices', before: [] },
  topology: { path: 'cpu/topology', parent: 'cpu', before: [] },
};

const at = (root: XmlElement, path: string): XmlElement | null => (path === '' ? root : findFirst(root, path));

/** Puts `fragment` in the slot (replacing what is there), recording what was there before. */
function setSlot(source: string, slot: Slot, fragment: string, saved: Saved[]): string {
  const { root } = parseXml(source);
  const current = at(root, slot.path);
  if (current) {
    saved.push({ path: slot.path, original: source.slice(current.start, current.end) });
    return replaceElement(source, current, fragment);
  }
  const parent = at(root, slot.parent);
  if (!parent) throw new XmlEditError(`The domain has no <${slot.parent}> element to put <${slot.path}> in.`);
  const before = slot.before.map((name) => findFirst(parent, name)).find((el): el is XmlElement => el !== null);
  saved.push({ path: slot.path, original: null });
  return insertChild(source, parent, fragment, before ? { before } : {});
}

const encode = (text: string): string => escapeText(text).replace(/\r/g, '&#13;').replace(/\n/g, '&#10;').replace(/\t/g, '&#9;');

function recordXml(options: TuningOption[], saved: Saved[], createdMetadata: boolean): string {
  const head = `<${RECORD} xmlns:gpu-ferry='${TUNING_NS}' options='${options.join(' ')}'${createdMetadata ? " created-metadata='yes'" : ''}>`;
  const items = saved.map((s) => (s.original === null ? `  <${SAVED} path='${s.path}' absent='yes'/>` : `  <${SAVED} path='${s.path}'>${encode(s.original)}</${SAVED}>`));
  return [head, ...items, `</${RECORD}>`].join('\n');
}

function findRecord(root: XmlElement): XmlElement | null {
  return findAll(root, 'metadata/*').find((el) => el.name.endsWith(':tuning') && Object.entries(el.attributes).some(([k, v]) => k.startsWith('xmlns') && v === TUNING_NS)) ?? null;
}

/** The tuning options recorded in the domain XML ([] when GPU Ferry never tuned it). */
export function appliedTuning(xml: string): TuningOption[] {
  const record = findRecord(parseXml(xml).root);
  if (!record) return [];
  const words = (record.attributes.options ?? '').split(' ');
  return TUNING_OPTIONS.filter((o) => words.includes(o));
}

const vcpuCount = (root: XmlElement): number => {
  const n = Number.parseInt(findFirst(root, 'vcpu')?.text.trim() ?? '', 10);
  if (!Number.isInteger(n) || n < 1) throw new XmlEditError('The domain has no valid <vcpu> count.');
  return n;
};

/**
 * Applies the options (together with any applied before) to `xml`. Idempotent: the same options on an
 * already tuned document give the same text. Throws XmlEditError (changing nothing) when impossible.
 */
export function applyTuning(xml: string, request: TuningRequest): TuningResult {
  const previous = appliedTuning(xml);
  const base = previous.length > 0 ? removeTuning(xml) : xml;
  const options = TUNING_OPTIONS.filter((o) => request.options.includes(o) || previous.includes(o));
  if (options.length === 0) throw new XmlEditError('No tuning option chosen.');
  const kvm = parseXml(base).root.attributes.type === 'kvm';
  const saved: Saved[] = [];
  let out = base;
  let pinning: CpuPinning | null = null;

  if (options.includes('pinning')) {
    try {
      pinning = planCpuPinning(request.cpu.topology, request.hostCores === undefined ? {} : { hostCores: request.hostCores });
    } catch (error) {
      throw new XmlEditError(`Cannot pin vCPUs: ${error instanceof Error ? error.message : String(error)}`);
    }
    out = setSlot(out, SLOTS.vcpu!, `<vcpu placement='static'>${pinning.vcpus.length}</vcpu>`, saved);
    // The iothreadpin in <cputune> needs iothread 1 to exist; a domain with more iothreads keeps them.
    const iothreads = Number.parseInt(findFirst(parseXml(out).root, 'iothreads')?.text.trim() ?? '0', 10);
    if (!(iothreads >= 1)) out = setSlot(out, SLOTS.iothreads!, '<iothreads>1</iothreads>', saved);
    out = setSlot(out, SLOTS.cputune!, cputuneXml(pinning), saved);
  }
  if (options.includes('hyperv')) {
    // A domain without <features> (rare: Windows wants ACPI) gets one holding only the enlightenments.
    const hasFeatures = findFirst(parseXml(out).root, 'features') !== null;
    out = hasFeatures ? setSlot(out, SLOTS.hyperv!, hypervXml(), saved) : setSlot(out, SLOTS.features!, `<features>\n${hypervXml().replace(/^/gm, '  ')}\n</features>`, saved);
  }
  if (options.includes('cpu')) {
    const topology = pinning?.topology ?? { cores: vcpuCount(parseXml(out).root), threads: 1 };
    const topoext = request.cpu.vendor === 'amd' && request.cpu.flags.includes('topoext');
    out = setSlot(out, SLOTS.cpu!, cpuXml({ topology, kvm, topoext }), saved);
  }
  if (pinning && !options.includes('cpu')) {
    // libvirt refuses a <topology> that does not multiply out to the vCPU count: follow the pinning.
    const t = findFirst(parseXml(out).root, 'cpu/topology')?.attributes;
    const product = t ? ['sockets', 'dies', 'cores', 'threads'].reduce((p, k) => p * Number(t[k] ?? '1'), 1) : null;
    if (product !== null && product !== pinning.vcpus.length)
      out = setSlot(out, SLOTS.topology!, `<topology sockets='1' dies='1' cores='${pinning.topology.cores}' threads='${pinning.topology.threads}'/>`, saved);
  }
  if (options.includes('memballoon')) out = setSlot(out, SLOTS.memballoon!, memballoonNoneXml(), saved);
  if (options.includes('hugepages')) {
    const backing = findFirst(parseXml(out).root, 'memoryBacking');
    if (!backing) out = setSlot(out, SLOTS.memoryBacking!, hugepagesBackingXml(), saved);
    else if (!findFirst(backing, 'hugepages')) out = setSlot(out, SLOTS.hugepages!, '<hugepages/>', saved);
  }

  const hadMetadata = findFirst(parseXml(out).root, 'metadata') !== null;
  const ensured = ensureChild(out, '', 'metadata');
  out = insertChild(ensured.source, ensured.element, recordXml(options, saved, !hadMetadata));
  // What we replaced that was not already GPU Ferry's own text is the user's: say so.
  const replaced = saved.filter((s) => s.original !== null && s.path !== 'vcpu' && s.path !== 'cpu/topology').map((s) => `<${s.path.split('/').at(-1)}>`);
  return { xml: out, pinning, replaced, applied: options };
}

/** Removes GPU Ferry's tuning, putting back exactly what was there. Returns `xml` unchanged when untuned. */
export function removeTuning(xml: string): string {
  const record = findRecord(parseXml(xml).root);
  if (!record) return xml;
  const saved: Saved[] = findAll(record, SAVED).map((el) => {
    const path = el.attributes.path ?? '';
    if (!Object.values(SLOTS).some((s) => s.path === path)) throw new XmlEditError(`The tuning record names an unknown element "${path}".`);
    return { path, original: el.attributes.absent === 'yes' ? null : el.text };
  });
  const createdMetadata = record.attributes['created-metadata'] === 'yes';
  let out = removeElement(xml, record);
  if (createdMetadata) {
    const metadata = findFirst(parseXml(out).root, 'metadata');
    if (metadata && metadata.children.length === 0) out = removeElement(out, metadata);
  }
  for (const s of [...saved].reverse()) {
    const current = findFirst(parseXml(out).root, s.path);
    if (s.original === null) {
      if (current) out = removeElement(out, current);
      continue;
    }
    if (!current) throw new XmlEditError(`Cannot restore <${s.path}>: it was removed after GPU Ferry tuned the VM (use \`gpu-ferry vm undo\`).`);
    out = out.slice(0, current.start) + s.original + out.slice(current.end);
  }
  parseXml(out); // a hand-edited record must not yield a broken domain: refuse instead
  return out;
}

const UNIT_KIB: Record<string, number> = { b: 1 / 1024, bytes: 1 / 1024, k: 1, kib: 1, kb: 1000 / 1024, m: 1024, mib: 1024, mb: 1e6 / 1024, g: 1024 ** 2, gib: 1024 ** 2, gb: 1e9 / 1024, t: 1024 ** 3, tib: 1024 ** 3 };

/** The domain's <memory> in KiB (libvirt's default unit), or null when absent or unreadable. */
export function domainMemoryKiB(xml: string): number | null {
  const memory = findFirst(parseXml(xml).root, 'memory');
  const value = Number(memory?.text.trim());
  const factor = UNIT_KIB[(memory?.attributes.unit ?? 'KiB').toLowerCase()];
  return memory && Number.isFinite(value) && factor !== undefined ? Math.ceil(value * factor) : null;
}

/**
 * Why hugepage backing would keep the VM from starting, or null: the host must have reserved enough
 * huge pages (meminfo HugePages_Total × Hugepagesize, in kB) for all of the guest's memory.
 */
export function hugepagesShortfall(xml: string, meminfo: Record<string, number>): string | null {
  const need = domainMemoryKiB(xml);
  const pageKiB = meminfo.Hugepagesize ?? 2048;
  const have = (meminfo.HugePages_Total ?? 0) * pageKiB;
  if (need === null || have >= need) return null;
  return `Hugepage backing needs ${Math.ceil(need / pageKiB)} huge pages of ${pageKiB} KiB; the host has ${meminfo.HugePages_Total ?? 0} reserved, so the VM will not start until more are reserved.`;
}
