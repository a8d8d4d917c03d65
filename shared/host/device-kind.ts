// What a PCI device is, in the words a person recognises ("USB controller", "NVMe SSD"), from its class
// code: how the GPU step names the other members of a GPU's IOMMU group.

/** Class (2 hex digits) + subclass (2) + programming interface (2) → words; the longest known prefix wins. */
const KINDS: [prefix: string, words: string][] = [
  ['010802', 'NVMe SSD'],
  ['0108', 'NVMe SSD'],
  ['0106', 'SATA controller'],
  ['0104', 'RAID controller'],
  ['0101', 'IDE controller'],
  ['01', 'storage controller'],
  ['0200', 'Ethernet controller'],
  ['0280', 'Wi-Fi card'],
  ['02', 'network controller'],
  ['0300', 'graphics card'],
  ['0302', '3D controller (GPU)'],
  ['0380', 'graphics device'],
  ['03', 'display controller'],
  ['0403', 'audio device'],
  ['0401', 'audio device'],
  ['04', 'multimedia device'],
  ['05', 'memory controller'],
  ['0600', 'host bridge'],
  ['0601', 'ISA bridge'],
  ['0604', 'PCI bridge'],
  ['06', 'bridge'],
  ['0700', 'serial controller'],
  ['07', 'communication controller'],
  ['0805', 'SD card reader'],
  ['08', 'system device'],
  ['0c0330', 'USB controller'],
  ['0c03', 'USB controller'],
  ['0c05', 'SMBus controller'],
  ['0c00', 'FireWire controller'],
  ['0c80', 'serial bus controller'],
  ['0c', 'serial bus controller'],
  ['0d', 'wireless controller'],
  ['10', 'encryption controller'],
  ['11', 'signal processing controller'],
  ['12', 'processing accelerator'],
];

/** "USB controller" for class 0c0330; "other device" when the class is unknown or missing. */
export function deviceKind(classCode: string | null | undefined): string {
  const code = (classCode ?? '').toLowerCase().replace(/^0x/, '');
  let best: [string, string] | null = null;
  for (const entry of KINDS) if (code.startsWith(entry[0]) && (!best || entry[0].length > best[0].length)) best = entry;
  return best ? best[1] : 'other device';
}
