// The checks shown before a VM starts (`gpu-ferry vm check NAME`, the Launch button). Pure: the facts
// that need the file system or /proc (hook hashes, firmware descriptors, GPU holders) are gathered by
// electron/system/libvirt-preflight.ts and passed in.
import { gpuRoles } from '../analyze/gpus';
import type { HostModel, PciDevice } from '../host/model';
import type { PreflightItem } from '../ipc/contract';
import { findAll, findFirst, parseXml } from './domain-xml';
import { passedThrough } from './gpu-hostdev';

export interface InstalledFile {
  /** Where the file must be on the host. */
  path: string;
  /** SHA-256 of the file GPU Ferry ships (null: the app's copy could not be read). */
  expected: string | null;
  /** SHA-256 of the installed file, null when it is absent. */
  installed: string | null;
}

export interface GpuHolder {
  pid: number;
  name: string;
  /** The device node held open, e.g. /dev/dri/renderD128 or /dev/nvidia0. */
  device: string;
}

export interface PreflightFacts {
  host: HostModel;
  /** The domain's (inactive) XML. */
  xml: string;
  /** Hook and handoff runtime, compared by hash. */
  handoffFiles: InstalledFile[];
  /** Firmware descriptor files found (/usr/share/qemu/firmware/*.json, /etc/qemu/firmware/*.json). */
  firmwareDescriptors: string[];
  /** Loader/nvram paths named in the XML that exist on the host. */
  existingPaths: string[];
  /** swtpm found on PATH. */
  swtpm: boolean;
  /** Processes holding the passed-through GPU's device nodes (dual-GPU mode). */
  holders: GpuHolder[];
}

export type VmMode = 'single-gpu' | 'dual-gpu';

const isBridge = (d: PciDevice | undefined): boolean => Boolean(d?.classCode.startsWith('0604'));

/** single-gpu when a passed-through GPU drives the host's display now; dual-gpu for another GPU; null without GPU. */
export const vmMode = (host: HostModel, xml: string): VmMode | null => modeOfFunctions(host, passedThrough(xml));

/**
 * The mode a VM given these PCI functions runs in (vmMode for a VM not written yet): single-gpu when one
 * of them drives the host display by the doctor's rule (gpuRoles), so the dashboard, `vm check` and the
 * wizard (which reads the doctor's report) agree on a hybrid machine whose boot VGA is not the screen.
 */
export function modeOfFunctions(host: HostModel, addresses: string[]): VmMode | null {
  const passed = gpuRoles(host).filter((r) => addresses.includes(r.device.address));
  if (passed.length === 0) return null;
  return passed.some((r) => r.drivesHostDisplay) ? 'single-gpu' : 'dual-gpu';
}

const item = (id: string, status: PreflightItem['status'], message: string, fix: string | null = null): PreflightItem => ({
  id,
  status,
  message,
  fix,
});

function iommuItems(host: HostModel, addresses: string[]): PreflightItem[] {
  if (addresses.length === 0) return [item('iommu-group', 'pass', 'The VM passes no PCI device through.')];
  const byAddress = new Map(host.pci.map((d) => [d.address, d]));
  const inVm = new Set(addresses);
  const items: PreflightItem[] = [];
  const groups = new Set<number>();
  for (const address of addresses) {
    const device = byAddress.get(address);
    if (!device) {
      items.push(item('iommu-group', 'fail', `${address} is in the VM but not on this host.`, `Remove it: gpu-ferry vm detach --gpu ${address} NAME`));
      continue;
    }
    if (device.iommuGroup === null) {
      items.push(item('iommu-group', 'fail', `${address} has no IOMMU group: the IOMMU is off.`, 'Turn the IOMMU on: gpu-ferry plan iommu'));
      continue;
    }
    groups.add(device.iommuGroup);
  }
  for (const group of groups) {
    const members = host.iommu.groups[group] ?? [];
    const missing = members.filter((m) => !inVm.has(m) && !isBridge(byAddress.get(m)));
    if (missing.length === 0) {
      items.push(item('iommu-group', 'pass', `IOMMU group ${group} is complete in the VM (${members.join(', ')}).`));
    } else {
      const described = missing.map((m) => `${m} (${byAddress.get(m)?.driver ?? 'no driver'})`).join(', ');
      items.push(
        item(
          'iommu-group',
          'fail',
          `IOMMU group ${group} also holds ${described}, which would stay with the host: the VM cannot start.`,
          `Pass them through too (gpu-ferry vm attach --gpu ${missing[0]} NAME), or move the card to another slot.`,
        ),
      );
    }
  }
  return items;
}

function hookItems(facts: PreflightFacts, mode: VmMode | null): PreflightItem[] {
  if (mode === null) return [];
  return facts.handoffFiles.map((f) => {
    const id = `handoff-file:${f.path}`;
    if (f.expected === null) return item(id, 'fail', `GPU Ferry's own copy of ${f.path} is missing from the app.`, 'Reinstall GPU Ferry.');
    if (f.installed === null)
      return item(id, 'fail', `${f.path} is not installed: the GPU would not be handed over (${mode}).`, 'Install the hook: gpu-ferry plan hook-install');
    if (f.installed !== f.expected)
      return item(id, 'fail', `${f.path} differs from this version of GPU Ferry (outdated or edited).`, 'Reinstall the hook: gpu-ferry plan hook-install');
    return item(id, 'pass', `${f.path} is installed and current.`);
  });
}

function firmwareItems(facts: PreflightFacts, root: ReturnType<typeof parseXml>['root']): PreflightItem[] {
  const items: PreflightItem[] = [];
  const os = findFirst(root, 'os');
  const loader = os ? findFirst(os, 'loader') : null;
  const loaderPath = loader?.text.trim() ?? '';
  if (loaderPath) {
    items.push(
      facts.existingPaths.includes(loaderPath)
        ? item('firmware', 'pass', `UEFI firmware ${loaderPath} is present.`)
        : item('firmware', 'fail', `UEFI firmware ${loaderPath} does not exist.`, 'Install OVMF/edk2 (ovmf, edk2-ovmf) or fix the path in the VM.'),
    );
  } else if (os?.attributes.firmware === 'efi') {
    items.push(
      facts.firmwareDescriptors.length > 0
        ? item('firmware', 'pass', `UEFI firmware descriptors found (${facts.firmwareDescriptors.length}).`)
        : item('firmware', 'fail', 'No UEFI firmware descriptors in /usr/share/qemu/firmware: libvirt cannot pick a firmware.', 'Install OVMF/edk2 (ovmf on Debian/Ubuntu, edk2-ovmf on Arch/Fedora).'),
    );
  }
  if (findFirst(root, 'devices/tpm/backend[type=emulator]'))
    items.push(
      facts.swtpm
        ? item('tpm', 'pass', 'swtpm is installed for the TPM 2.0 emulator.')
        : item('tpm', 'fail', 'The VM has an emulated TPM but swtpm is not installed.', 'Install swtpm (and swtpm-tools).'),
    );
  return items;
}

const MEMORY_UNITS: Record<string, number> = { b: 1 / 1024, bytes: 1 / 1024, k: 1, kib: 1, kb: 1000 / 1024, m: 1024, mib: 1024, mb: 1e6 / 1024, g: 1024 ** 2, gib: 1024 ** 2, gb: 1e9 / 1024, t: 1024 ** 3, tib: 1024 ** 3 };

/** The domain's memory in KiB (libvirt default unit KiB). */
export function domainMemoryKiB(root: ReturnType<typeof parseXml>['root']): number | null {
  const memory = findFirst(root, 'memory');
  if (!memory) return null;
  const factor = MEMORY_UNITS[(memory.attributes.unit ?? 'KiB').toLowerCase()];
  const value = Number(memory.text.trim());
  return factor === undefined || !Number.isFinite(value) ? null : Math.round(value * factor);
}

function memoryItems(host: HostModel, root: ReturnType<typeof parseXml>['root']): PreflightItem[] {
  const need = domainMemoryKiB(root);
  if (need === null) return [item('memory', 'warn', 'Could not read the VM memory size.', null)];
  const gib = (kib: number) => `${(kib / 1024 ** 2).toFixed(1)} GiB`;
  if (findFirst(root, 'memoryBacking/hugepages')) {
    const free = (host.memory.HugePages_Free ?? 0) * (host.memory.Hugepagesize ?? 2048);
    return [
      free >= need
        ? item('memory', 'pass', `Hugepages: ${gib(free)} free for ${gib(need)}.`)
        : item('memory', 'fail', `The VM uses hugepages but only ${gib(free)} are free for ${gib(need)}.`, `Reserve ${Math.ceil(need / (host.memory.Hugepagesize ?? 2048))} hugepages: vm.nr_hugepages in /etc/sysctl.d/, then sudo sysctl --system.`),
    ];
  }
  const available = host.memory.MemAvailable;
  if (available === undefined) return [item('memory', 'warn', 'Free memory is unknown (/proc/meminfo unreadable).', null)];
  return [
    available >= need
      ? item('memory', 'pass', `${gib(available)} available for the VM's ${gib(need)}.`)
      : item('memory', 'fail', `The VM needs ${gib(need)} but only ${gib(available)} is available.`, 'Close programs or give the VM less memory.'),
  ];
}

function holderItems(facts: PreflightFacts, mode: VmMode | null): PreflightItem[] {
  if (mode !== 'dual-gpu') return [];
  if (facts.holders.length === 0) return [item('gpu-holders', 'pass', 'No process uses the GPU right now.')];
  const byProcess = new Map<string, string[]>();
  for (const h of facts.holders) {
    const key = `${h.name} (PID ${h.pid})`;
    byProcess.set(key, [...(byProcess.get(key) ?? []), h.device]);
  }
  const list = [...byProcess.entries()].map(([p, devices]) => `${p}: ${devices.join(', ')}`).join('; ');
  return [item('gpu-holders', 'fail', `The GPU is in use by ${list}.`, 'Close these programs (or log out of sessions that use the card), then start the VM.')];
}

/** A VM whose GPU takes the screen needs a keyboard and mouse of its own (or SPICE with a spare screen). */
function inputItems(root: ReturnType<typeof parseXml>['root'], mode: VmMode | null): PreflightItem[] {
  if (mode === null) return [];
  const usb = findAll(root, 'devices/hostdev').some((h) => h.attributes.type === 'usb');
  const evdev = findAll(root, 'devices/input').some((i) => i.attributes.type === 'evdev');
  const spice = findAll(root, 'devices/graphics').some((g) => g.attributes.type === 'spice');
  if (usb || evdev) return [item('input', 'pass', `The VM has ${[usb ? 'USB devices' : '', evdev ? 'evdev input' : ''].filter(Boolean).join(' and ')} of its own.`)];
  if (mode === 'dual-gpu' && spice) return [item('input', 'pass', 'The VM gets keyboard and mouse through its SPICE screen (virt-manager or Looking Glass).')];
  return [
    item(
      'input',
      'warn',
      mode === 'single-gpu'
        ? 'The VM has no keyboard or mouse of its own: once it takes the GPU, nothing you type reaches Windows (unless a USB controller is passed through).'
        : 'The VM has no keyboard or mouse of its own and no SPICE screen.',
      'Give it a USB keyboard and mouse or evdev devices: gpu-ferry vm inputs lists them.',
    ),
  ];
}

export function evaluatePreflight(facts: PreflightFacts): PreflightItem[] {
  const tree = parseXml(facts.xml);
  const mode = vmMode(facts.host, facts.xml);
  return [
    ...iommuItems(facts.host, passedThrough(facts.xml)),
    ...hookItems(facts, mode),
    ...firmwareItems(facts, tree.root),
    ...memoryItems(facts.host, tree.root),
    ...inputItems(tree.root, mode),
    ...holderItems(facts, mode),
  ];
}

export const preflightPasses = (items: PreflightItem[]): boolean => items.every((i) => i.status !== 'fail');
