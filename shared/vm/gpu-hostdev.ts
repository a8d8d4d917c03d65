// The GPU's PCI functions as libvirt <hostdev> elements, and adding/removing them in an existing domain
// XML (through domain-xml.ts, so everything else in the document stays as it was, byte for byte).
import type { DoctorReport } from '../analyze/report';
import { escapeAttribute, findAll, findFirst, insertChild, parseXml, removeElement, XmlEditError, type XmlElement } from './domain-xml';

/**
 * An SR-IOV virtual function the doctor lists alone in its IOMMU group (a GPU slice, a NIC or NVMe VF):
 * it is attached on its own, like a GPU's functions. Null when `address` is no such VF.
 */
export function virtualFunctionToAttach(report: DoctorReport, address: string): string[] | null {
  const vf = (report.sriov ?? []).flatMap((pf) => pf.virtualFunctions).find((v) => v.address === address);
  return vf?.ownGroup ? [vf.address] : null;
}

const PCI = /^([0-9a-f]{4}):([0-9a-f]{2}):([0-9a-f]{2})\.([0-7])$/;

export interface PciParts {
  domain: string;
  bus: string;
  slot: string;
  function: string;
}

export function parsePciAddress(address: string): PciParts {
  const m = PCI.exec(address);
  if (!m) throw new XmlEditError(`"${address}" is not a PCI address like 0000:0a:00.0.`);
  return { domain: m[1] ?? '', bus: m[2] ?? '', slot: m[3] ?? '', function: m[4] ?? '' };
}

/** One managed PCI hostdev; `rom` is a ROM file path for this function (usually only the VGA function). */
export function hostdevXml(address: string, rom?: string | null): string {
  const p = parsePciAddress(address);
  const lines = [
    "<hostdev mode='subsystem' type='pci' managed='yes'>",
    '  <source>',
    `    <address domain='0x${p.domain}' bus='0x${p.bus}' slot='0x${p.slot}' function='0x${p.function}'/>`,
    '  </source>',
  ];
  if (rom) lines.push(`  <rom file='${escapeAttribute(rom)}'/>`);
  lines.push('</hostdev>');
  return lines.join('\n');
}

const hex = (value: string | undefined): number | null => (value === undefined ? null : Number.parseInt(value, 16));

/** The host PCI address a <hostdev type='pci'> points to, or null for other kinds. */
export function hostdevAddress(hostdev: XmlElement): string | null {
  if (hostdev.attributes.type !== 'pci') return null;
  const a = findFirst(hostdev, 'source/address')?.attributes;
  if (!a) return null;
  const [d, b, s, f] = [hex(a.domain ?? '0'), hex(a.bus), hex(a.slot), hex(a.function ?? '0')];
  if (d === null || b === null || s === null || f === null || [d, b, s, f].some(Number.isNaN)) return null;
  const pad = (n: number, w: number) => n.toString(16).padStart(w, '0');
  return `${pad(d, 4)}:${pad(b, 2)}:${pad(s, 2)}.${f}`;
}

/** PCI addresses passed through by a domain. */
export const passedThrough = (xml: string): string[] =>
  findAll(parseXml(xml).root, 'devices/hostdev')
    .map(hostdevAddress)
    .filter((a): a is string => a !== null);

export interface AttachOptions {
  /** Every function of the GPU (and its IOMMU group peers) — from the doctor report's `functions`. */
  functions: string[];
  /** ROM file for the first function. */
  rom?: string | null;
}

/** Adds a hostdev for each function not yet passed through. Returns the XML unchanged when all are present. */
export function attachGpu(xml: string, options: AttachOptions): string {
  if (options.functions.length === 0) throw new XmlEditError('No PCI functions to attach.');
  options.functions.forEach(parsePciAddress);
  const present = new Set(passedThrough(xml));
  let out = xml;
  options.functions.forEach((address, index) => {
    if (present.has(address)) return;
    const devices = findFirst(parseXml(out).root, 'devices');
    if (!devices) throw new XmlEditError('The domain has no <devices> element.');
    out = insertChild(out, devices, hostdevXml(address, index === 0 ? options.rom : null));
  });
  return out;
}

/** Removes the hostdevs of these functions (the inverse of attachGpu). */
export function detachGpu(xml: string, functions: string[]): string {
  functions.forEach(parsePciAddress);
  const wanted = new Set(functions);
  let out = xml;
  for (;;) {
    const hostdev = findAll(parseXml(out).root, 'devices/hostdev').find((h) => wanted.has(hostdevAddress(h) ?? ''));
    if (!hostdev) return out;
    out = removeElement(out, hostdev);
  }
}
