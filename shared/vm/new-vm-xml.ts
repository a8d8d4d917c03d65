// The domain XML of a new Windows VM tuned for GPU passthrough: q35, UEFI Secure Boot, TPM 2.0,
// virtio disk and network, host-passthrough CPU mirroring the host topology with pinning, Hyper-V
// enlightenments, no balloon, audio, every GPU function as a managed hostdev, the keyboard and mouse
// chosen (USB or evdev, shared/vm/vm-input.ts) and, where the machine has a screen to spare, SPICE.
import type { HostModel } from '../host/model';
import { cputuneXml, planCpuPinning, type CpuPinning } from './cpu-pinning';
import { escapeAttribute, escapeText } from './domain-xml';
import { hostdevXml } from './gpu-hostdev';
import { cpuXml, hugepagesBackingXml, hypervXml, memballoonNoneXml } from './tuning-xml';
import { requireVmName } from './vm-name';
import { checkInputChoice, hasKeyboard, noInput, type VmInputChoice } from './vm-input';
import { inputXml, spiceDisplayXml } from './vm-input-xml';

export interface NewVmOptions {
  name: string;
  memoryMiB: number;
  /** Disk image path; `createGiB` set means a new qcow2 of that size is made with qemu-img. */
  disk: { path: string; createGiB: number | null };
  windowsIso: string | null;
  virtioIso: string | null;
  /** PCI functions to pass through (the GPU and its group peers); [] for none. */
  gpuFunctions: string[];
  romFile: string | null;
  hugepages: boolean;
  /** libvirt network name; null: user-mode networking (works without a libvirt network). */
  network: string | null;
  /** The keyboard and mouse the VM gets: USB devices by id and/or evdev devices with a grab toggle. */
  input: VmInputChoice;
  /**
   * 'spice': a SPICE screen with QXL video and virtio input (the installer in virt-manager; Looking
   * Glass's input) — for a VM whose GPU is not the one the host shows its desktop on, or without GPU.
   * 'none': the passed GPU is the only screen (single GPU: the installer appears on its monitor).
   */
  display: 'spice' | 'none';
  /** 'kvm' normally; 'qemu' (software emulation) for tests on machines without KVM. */
  domainType: 'kvm' | 'qemu';
  /** Secure Boot UEFI with enrolled keys (Windows 11); false: plain UEFI. */
  secureBoot: boolean;
  tpm: boolean;
  /** libvirt audio backend; null: no sound device. */
  audio: 'pulseaudio' | 'spice' | 'none' | null;
  /** Physical cores the host keeps (default from cpu-pinning). */
  hostCores?: number;
}

export const defaultNewVmOptions = (name: string): NewVmOptions => ({
  name,
  memoryMiB: 16384,
  disk: { path: `/var/lib/libvirt/images/${name}.qcow2`, createGiB: 128 },
  windowsIso: null,
  virtioIso: null,
  gpuFunctions: [],
  romFile: null,
  hugepages: false,
  network: 'default',
  input: noInput,
  display: 'spice',
  domainType: 'kvm',
  secureBoot: true,
  tpm: true,
  audio: 'pulseaudio',
});

export interface NewVm {
  xml: string;
  pinning: CpuPinning | null;
  /** qemu-img argv when a new disk must be created first (run as the user). */
  createDisk: string[] | null;
  warnings: string[];
}

const indent = (text: string, by = '  '): string =>
  text
    .split('\n')
    .map((l) => (l ? by + l : l))
    .join('\n');

const attr = escapeAttribute;

/** Builds the XML. Pure; throws on invalid options (bad name, no memory, bad PCI address). */
export function newVmXml(host: HostModel, options: NewVmOptions): NewVm {
  requireVmName(options.name);
  if (!Number.isInteger(options.memoryMiB) || options.memoryMiB < 1024)
    throw new Error(`Memory must be a whole number of MiB, at least 1024 (got ${options.memoryMiB}).`);
  if (!options.disk.path.startsWith('/')) throw new Error(`The disk path must be absolute: "${options.disk.path}".`);
  const warnings: string[] = [];
  let pinning: CpuPinning | null = null;
  try {
    pinning = planCpuPinning(host.cpu.topology, options.hostCores === undefined ? {} : { hostCores: options.hostCores });
  } catch (error) {
    warnings.push(`No CPU pinning: ${error instanceof Error ? error.message : String(error)}`);
  }
  const vcpus = pinning ? pinning.vcpus.length : Math.max(1, host.cpu.threads - 1);
  const kvm = options.domainType === 'kvm';
  const amd = host.cpu.vendor === 'amd';

  const os = [
    "<os firmware='efi'>",
    "  <type arch='x86_64' machine='q35'>hvm</type>",
    '  <firmware>',
    `    <feature enabled='${options.secureBoot ? 'yes' : 'no'}' name='enrolled-keys'/>`,
    `    <feature enabled='${options.secureBoot ? 'yes' : 'no'}' name='secure-boot'/>`,
    '  </firmware>',
    '</os>',
  ];
  const features = ['<features>', '  <acpi/>', '  <apic/>', ...(kvm ? indent(hypervXml()).split('\n') : []), "  <vmport state='off'/>", "  <smm state='on'/>", '</features>'];

  const topology = pinning?.topology ?? { sockets: 1, dies: 1, cores: vcpus, threads: 1 };
  const cpu = cpuXml({ topology, kvm, topoext: amd && host.cpu.flags.includes('topoext') });
  if (kvm && amd && !host.cpu.flags.includes('topoext')) warnings.push('This AMD CPU does not report topoext: the guest may see SMT siblings as separate cores.');

  const devices: string[] = [];
  const diskType = options.disk.path.endsWith('.qcow2') || options.disk.createGiB !== null ? 'qcow2' : 'raw';
  devices.push(
    [
      "<disk type='file' device='disk'>",
      `  <driver name='qemu' type='${diskType}' discard='unmap' iothread='1'/>`,
      `  <source file='${attr(options.disk.path)}'/>`,
      "  <target dev='vda' bus='virtio'/>",
      `  <boot order='${options.windowsIso ? 2 : 1}'/>`,
      '</disk>',
    ].join('\n'),
  );
  const cdrom = (path: string, dev: string, boot: number | null) =>
    [
      "<disk type='file' device='cdrom'>",
      "  <driver name='qemu' type='raw'/>",
      `  <source file='${attr(path)}'/>`,
      `  <target dev='${dev}' bus='sata'/>`,
      '  <readonly/>',
      ...(boot ? [`  <boot order='${boot}'/>`] : []),
      '</disk>',
    ].join('\n');
  if (options.windowsIso) devices.push(cdrom(options.windowsIso, 'sda', 1));
  if (options.virtioIso) devices.push(cdrom(options.virtioIso, 'sdb', null));
  devices.push(
    options.network === null
      ? "<interface type='user'>\n  <model type='virtio'/>\n</interface>"
      : `<interface type='network'>\n  <source network='${attr(options.network)}'/>\n  <model type='virtio'/>\n</interface>`,
  );
  checkInputChoice(options.input);
  devices.push(...inputXml(options.input));
  if (options.display === 'none' && !hasKeyboard(options.input))
    warnings.push(
      'This VM has no keyboard or mouse of its own and no SPICE screen: Windows setup would wait for input you cannot give. Choose a USB keyboard and mouse, or evdev devices.',
    );
  if (options.tpm) devices.push("<tpm model='tpm-crb'>\n  <backend type='emulator' version='2.0'/>\n</tpm>");
  if (options.audio && options.audio !== 'none') devices.push("<sound model='ich9'>\n  <audio id='1'/>\n</sound>", `<audio id='1' type='${options.audio}'/>`);
  options.gpuFunctions.forEach((address, i) => devices.push(hostdevXml(address, i === 0 ? options.romFile : null)));
  if (options.display === 'spice') devices.push(...spiceDisplayXml());
  else devices.push("<video>\n  <model type='none'/>\n</video>");
  devices.push(memballoonNoneXml());

  const xml = [
    `<domain type='${options.domainType}'>`,
    `  <name>${escapeText(options.name)}</name>`,
    '  <metadata>',
    "    <gpu-ferry:vm xmlns:gpu-ferry='https://gpu-ferry.app/xmlns/vm/1'>",
    `      <gpu-ferry:gpu>${escapeText(options.gpuFunctions.join(' '))}</gpu-ferry:gpu>`,
    '    </gpu-ferry:vm>',
    '  </metadata>',
    `  <memory unit='MiB'>${options.memoryMiB}</memory>`,
    `  <currentMemory unit='MiB'>${options.memoryMiB}</currentMemory>`,
    ...(options.hugepages ? [indent(hugepagesBackingXml())] : []),
    `  <vcpu placement='static'>${vcpus}</vcpu>`,
    '  <iothreads>1</iothreads>',
    ...(pinning ? indent(cputuneXml(pinning)).split('\n') : []),
    indent(os.join('\n')),
    indent(features.join('\n')),
    indent(cpu),
    "  <clock offset='localtime'>",
    "    <timer name='rtc' tickpolicy='catchup'/>",
    "    <timer name='pit' tickpolicy='delay'/>",
    "    <timer name='hpet' present='no'/>",
    ...(kvm ? ["    <timer name='hypervclock' present='yes'/>"] : []),
    '  </clock>',
    '  <on_poweroff>destroy</on_poweroff>',
    '  <on_reboot>restart</on_reboot>',
    '  <on_crash>destroy</on_crash>',
    '  <pm>',
    "    <suspend-to-mem enabled='no'/>",
    "    <suspend-to-disk enabled='no'/>",
    '  </pm>',
    '  <devices>',
    ...devices.map((d) => indent(indent(d))),
    '  </devices>',
    '</domain>',
    '',
  ].join('\n');

  const createDisk = options.disk.createGiB === null ? null : ['qemu-img', 'create', '-f', 'qcow2', '--', options.disk.path, `${options.disk.createGiB}G`];
  if (options.disk.createGiB !== null && (!Number.isInteger(options.disk.createGiB) || options.disk.createGiB < 1))
    throw new Error(`The new disk size must be a whole number of GiB, at least 1 (got ${options.disk.createGiB}).`);
  return { xml, pinning, createDisk, warnings };
}

/** Hugepages (2 MiB) needed to back `memoryMiB`. */
export const hugepagesFor = (memoryMiB: number, pageKiB = 2048): number => Math.ceil((memoryMiB * 1024) / pageKiB);
