// The VM side of Looking Glass: the IVSHMEM device in the domain XML. kvmfr goes through
// <qemu:commandline> (libvirt has no element for it): the JSON -device/-object form for QEMU 6.2+ with
// libvirt 7.9+, the legacy key=value form before. The shm fallback is libvirt's own <shmem>. Edits are
// splices through shared/vm/domain-xml.ts, so everything else in the user's XML stays byte for byte,
// and removeLookingGlass gives back the XML as it was.
import {
  allElements,
  ensureChild,
  ensureNamespace,
  findAll,
  findFirst,
  insertChild,
  parseXml,
  removeAttribute,
  removeElement,
  type XmlElement,
} from '../vm/domain-xml';
import { KVMFR_DEVICE, SHM_NAME } from './paths';
import { versionAtLeast } from './versions';

export const QEMU_NS = 'http://libvirt.org/schemas/domain/qemu/1.0';
const MEMDEV_ID = 'looking-glass';

export interface LgDomainOptions {
  mode: 'kvmfr' | 'shm';
  sizeMiB: number;
  /** From `virsh version`; null when unknown (then the modern form is used). */
  qemuVersion: string | null;
  libvirtVersion: string | null;
}

/** True when libvirt and QEMU accept JSON for -device/-object (unknown versions count as modern). */
export function useJsonForm(qemuVersion: string | null, libvirtVersion: string | null): boolean {
  return versionAtLeast(qemuVersion, '6.2') !== false && versionAtLeast(libvirtVersion, '7.9') !== false;
}

/** The four qemu:arg values for kvmfr. */
export function kvmfrArgs(sizeMiB: number, json: boolean): string[] {
  if (json) {
    return [
      '-device',
      JSON.stringify({ driver: 'ivshmem-plain', id: 'shmem-looking-glass', memdev: MEMDEV_ID }),
      '-object',
      JSON.stringify({ 'qom-type': 'memory-backend-file', id: MEMDEV_ID, 'mem-path': KVMFR_DEVICE, size: sizeMiB * 1024 * 1024, share: true }),
    ];
  }
  return ['-device', `ivshmem-plain,id=shmem-looking-glass,memdev=${MEMDEV_ID}`, '-object', `memory-backend-file,id=${MEMDEV_ID},share=on,mem-path=${KVMFR_DEVICE},size=${sizeMiB}M`];
}

const shmemFragment = (sizeMiB: number): string =>
  `<shmem name='${SHM_NAME}'>\n  <model type='ivshmem-plain'/>\n  <size unit='M'>${sizeMiB}</size>\n</shmem>`;

/** Our qemu:arg elements: the two values naming our memdev and the -device/-object flag before each. */
function ourArgs(commandline: XmlElement): XmlElement[] {
  const args = commandline.children.filter((c) => c.name === 'qemu:arg');
  const ours: XmlElement[] = [];
  args.forEach((arg, i) => {
    const value = arg.attributes.value ?? '';
    const mine = value.includes(KVMFR_DEVICE) || value.includes(`"memdev":"${MEMDEV_ID}"`) || value.includes(`memdev=${MEMDEV_ID}`);
    const flag = args[i - 1];
    if (!mine) return;
    if (flag && ['-device', '-object'].includes(flag.attributes.value ?? '')) ours.push(flag);
    ours.push(arg);
  });
  return ours;
}

/**
 * Removes every Looking Glass device we add (either variant), a qemu:commandline left empty by that, and
 * the xmlns:qemu declaration when nothing uses it any more; unrelated XML is untouched.
 */
export function removeLookingGlass(xml: string): string {
  let source = xml;
  for (;;) {
    const root = parseXml(source).root;
    const shmem = findFirst(root, `devices/shmem[name=${SHM_NAME}]`);
    const commandline = findAll(root, 'qemu:commandline').find((c) => ourArgs(c).length > 0);
    if (shmem) {
      source = removeElement(source, shmem);
      continue;
    }
    if (!commandline) break;
    const args = ourArgs(commandline);
    if (commandline.children.length === args.length) {
      source = removeElement(source, commandline);
      continue;
    }
    // Last first, so the offsets of the ones before stay valid.
    for (const arg of [...args].reverse()) source = removeElement(source, arg);
  }
  const root = parseXml(source).root;
  const usesQemuPrefix = allElements(root).some((el) => el.name.startsWith('qemu:') || Object.keys(el.attributes).some((a) => a.startsWith('qemu:')));
  if (!usesQemuPrefix && root.attributes['xmlns:qemu'] === QEMU_NS) source = removeAttribute(source, root, 'xmlns:qemu');
  return source;
}

/** Returns the domain XML with the Looking Glass device for `options`, replacing any earlier one. */
export function addLookingGlass(xml: string, options: LgDomainOptions): string {
  let source = removeLookingGlass(xml);
  if (options.mode === 'shm') {
    const { source: withDevices, element: devices } = ensureChild(source, '', 'devices');
    return insertChild(withDevices, devices, shmemFragment(options.sizeMiB));
  }
  source = ensureNamespace(source, 'qemu', QEMU_NS);
  const json = useJsonForm(options.qemuVersion, options.libvirtVersion);
  const args = kvmfrArgs(options.sizeMiB, json)
    .map((value) => `  <qemu:arg value='${value.replace(/&/g, '&amp;').replace(/'/g, '&apos;').replace(/</g, '&lt;')}'/>`)
    .join('\n');
  const root = parseXml(source).root;
  const existing = findFirst(root, 'qemu:commandline');
  if (existing) {
    let next = source;
    for (const line of args.split('\n')) {
      const tree = parseXml(next);
      const commandline = findFirst(tree.root, 'qemu:commandline');
      if (!commandline) break;
      next = insertChild(next, commandline, line.trim());
    }
    return next;
  }
  return insertChild(source, root, `<qemu:commandline>\n${args}\n</qemu:commandline>`);
}

/** The device a VM should end up with: kvmfr or shm of a size, or none. */
export type LgDeviceChange = { mode: 'kvmfr' | 'shm'; sizeMiB: number } | { mode: 'remove' };

/** The domain XML after the change (versions pick the qemu:commandline form for kvmfr). */
export function lookingGlassDomainXml(xml: string, change: LgDeviceChange, versions: { qemu: string | null; libvirt: string | null }): string {
  if (change.mode === 'remove') return removeLookingGlass(xml);
  return addLookingGlass(xml, { mode: change.mode, sizeMiB: change.sizeMiB, qemuVersion: versions.qemu, libvirtVersion: versions.libvirt });
}
