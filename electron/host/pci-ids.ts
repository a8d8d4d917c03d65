// Vendor and device names from the system's pci.ids, looked up lazily: the 1+ MB file is read once per
// process and searched per vendor, never parsed whole (doctor must stay fast on big hosts).
import { readFileSync } from 'node:fs';
import path from 'node:path';

export const PCI_IDS_PATHS = ['/usr/share/hwdata/pci.ids', '/usr/share/misc/pci.ids'] as const;

interface VendorBlock {
  name: string;
  start: number;
  end: number;
}

export class PciIds {
  private readonly vendors = new Map<string, VendorBlock | null>();
  private readonly devices = new Map<string, string | null>();

  constructor(
    readonly source: string | null,
    private readonly text: string,
  ) {}

  private vendor(vendorId: string): VendorBlock | null {
    const cached = this.vendors.get(vendorId);
    if (cached !== undefined) return cached;
    let block: VendorBlock | null = null;
    const at = this.text.indexOf(`\n${vendorId}  `);
    if (at >= 0) {
      const lineEnd = this.text.indexOf('\n', at + 1);
      const name = this.text.slice(at + 7, lineEnd < 0 ? undefined : lineEnd).trim();
      // The block ends at the next vendor or class line (comments may sit inside a block).
      const next = /\n(?:[0-9a-f]{4} |C )/g;
      next.lastIndex = lineEnd < 0 ? this.text.length : lineEnd;
      const end = next.exec(this.text)?.index ?? this.text.length;
      block = { name, start: lineEnd < 0 ? this.text.length : lineEnd, end };
    }
    this.vendors.set(vendorId, block);
    return block;
  }

  vendorName(vendorId: string): string | null {
    return this.vendor(vendorId.toLowerCase())?.name ?? null;
  }

  deviceName(vendorId: string, deviceId: string): string | null {
    const key = `${vendorId}:${deviceId}`.toLowerCase();
    const cached = this.devices.get(key);
    if (cached !== undefined) return cached;
    const block = this.vendor(vendorId.toLowerCase());
    let name: string | null = null;
    if (block) {
      const at = this.text.indexOf(`\n\t${deviceId.toLowerCase()}  `, block.start);
      if (at >= 0 && at < block.end) {
        const lineEnd = this.text.indexOf('\n', at + 1);
        name = this.text.slice(at + 8, lineEnd < 0 ? undefined : lineEnd).trim();
      }
    }
    this.devices.set(key, name);
    return name;
  }
}

const cache = new Map<string, PciIds>();
const EMPTY = new PciIds(null, '');

function load(file: string): PciIds | null {
  const hit = cache.get(file);
  if (hit) return hit;
  try {
    const ids = new PciIds(file, '\n' + readFileSync(file, 'latin1'));
    cache.set(file, ids);
    return ids;
  } catch {
    return null;
  }
}

/** The pci.ids under the scanned root first, then this machine's; an empty table when neither exists. */
export function pciIdsFor(root: string): PciIds {
  const candidates = [
    ...(root === '/' ? [] : PCI_IDS_PATHS.map((p) => path.join(root, p))),
    ...PCI_IDS_PATHS,
  ];
  for (const file of candidates) {
    const ids = load(file);
    if (ids) return ids;
  }
  return EMPTY;
}
