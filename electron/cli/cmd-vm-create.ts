// `gpu-ferry vm create NAME`: a new Windows VM tuned for passthrough, shown for review, defined with --yes.
import path from 'node:path';
import { buildDoctorReport } from '../../shared/analyze/doctor';
import { defaultNewVmOptions, type NewVmOptions } from '../../shared/vm/new-vm-xml';
import { defaultVmMemoryMiB, displayFor, gpuFunctions, planNewVm } from '../../shared/vm/vm-change';
import { GRAB_TOGGLES, parseUsbId, type GrabToggle } from '../../shared/vm/vm-input';
import { pciAddress } from '../../shared/ipc/contract';
import { loadHost } from '../host/load';
import type { CliCommand } from './command';
import { dataDirOf, HOST_HELP, parseVmArgs, runVm, VM_OPTIONS_HELP } from './cmd-vm-options';
import { reviewAndApply } from './cmd-vm-review';
import { UsageError } from './host-options';

const options = {
  gpu: { type: 'string' },
  rom: { type: 'string' },
  memory: { type: 'string' },
  disk: { type: 'string' },
  'disk-size': { type: 'string' },
  'existing-disk': { type: 'boolean', default: false },
  'windows-iso': { type: 'string' },
  'virtio-iso': { type: 'string' },
  network: { type: 'string' },
  usb: { type: 'string', multiple: true },
  keyboard: { type: 'string' },
  mouse: { type: 'string' },
  'grab-toggle': { type: 'string' },
  display: { type: 'string' },
  hugepages: { type: 'boolean', default: false },
  'host-cores': { type: 'string' },
  audio: { type: 'string' },
  software: { type: 'boolean', default: false },
  'no-tpm': { type: 'boolean', default: false },
  'no-secure-boot': { type: 'boolean', default: false },
  yes: { type: 'boolean', default: false },
  'data-dir': { type: 'string' },
  root: { type: 'string' },
  host: { type: 'string' },
} as const;

function int(value: unknown, flag: string, min: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(String(value)) || n < min) throw new UsageError(`${flag} needs a whole number of at least ${min}, not "${String(value)}"`);
  return n;
}

function absolute(value: unknown, flag: string): string | null {
  if (value === undefined) return null;
  const s = String(value);
  if (!path.isAbsolute(s)) throw new UsageError(`${flag} needs an absolute path, not "${s}"`);
  return s;
}

function usbId(text: string) {
  try {
    return parseUsbId(text);
  } catch (error) {
    throw new UsageError(`--usb: ${(error as Error).message}`);
  }
}

function grabToggle(value: unknown): GrabToggle {
  if (value === undefined) return 'ctrl-ctrl';
  const found = GRAB_TOGGLES.find((t) => t === value);
  if (!found) throw new UsageError(`--grab-toggle is one of ${GRAB_TOGGLES.join(', ')}, not "${String(value)}"`);
  return found;
}

function display(value: unknown): 'spice' | 'none' | null {
  if (value === undefined) return null;
  if (value !== 'spice' && value !== 'none') throw new UsageError(`--display is spice or none, not "${String(value)}"`);
  return value;
}

export const vmCreateCommand: CliCommand = {
  path: ['vm', 'create'],
  summary: 'create a new Windows VM tuned for GPU passthrough (reviewed, then defined with --yes)',
  help: `Usage: gpu-ferry vm create NAME [options] [--yes]

Builds the VM's XML: q35, UEFI Secure Boot, TPM 2.0, virtio disk and network, host-passthrough CPU
with pinning that keeps SMT siblings together and leaves a core to the host, Hyper-V enlightenments,
no balloon, audio, the GPU's functions as managed hostdevs, the keyboard and mouse you choose, and a
SPICE screen (QXL video, virtio keyboard/mouse, the input Looking Glass uses) unless the GPU is the one
your desktop is on: then its monitor is the VM's screen, and the installer appears there.
See the keyboards and mice you can choose with \`gpu-ferry vm inputs\`.
  --gpu ADDR             pass this GPU (and everything in its IOMMU group) through
  --rom FILE             a ROM file (vBIOS) for the GPU
  --memory MIB           memory (default: half the host's, at most 16384)
  --disk PATH            disk image (default /var/lib/libvirt/images/NAME.qcow2)
  --disk-size GIB        size of the new disk (default 128)
  --existing-disk        use --disk as it is (no qemu-img create)
  --windows-iso FILE     Windows installer ISO
  --virtio-iso FILE      virtio-win drivers ISO
  --network NAME|user    libvirt network (default "default"); "user" for user-mode networking
  --usb VID:PID          pass this USB device through (repeat for keyboard and mouse), e.g. 046d:c52b
  --keyboard DEV --mouse DEV   /dev/input/by-id/...-event-kbd / -event-mouse shared by evdev
  --grab-toggle KEYS     keys that move evdev input between Linux and the VM: ${GRAB_TOGGLES.join(', ')}
                         (default ctrl-ctrl: both Ctrl keys)
  --display spice|none   SPICE screen, or none (default: none when the GPU drives your desktop, else spice)
  --hugepages            back memory with hugepages (they must be reserved: see the warning)
  --host-cores N         physical cores left to the host (default 1, or 2 above 8 cores)
  --audio pulseaudio|spice|none
  --software             software emulation (type qemu), for machines without KVM
  --no-tpm --no-secure-boot
${HOST_HELP}
  --yes                  create the disk and define the VM (without it, only show the XML)
  --data-dir DIR         app data dir (backups)
${VM_OPTIONS_HELP}
`,
  run: (args, io) =>
    runVm('vm create', io, async () => {
      const { values, positionals, virsh } = parseVmArgs(args, options, 1);
      const name = positionals[0] ?? '';
      const loaded = await loadHost({ root: values.root as string | undefined, host: values.host as string | undefined });
      try {
        const host = loaded.model;
        const base = defaultNewVmOptions(name);
        let functions: string[] = [];
        if (values.gpu !== undefined) {
          const parsed = pciAddress.safeParse(values.gpu);
          if (!parsed.success) throw new UsageError(`--gpu: ${parsed.error.issues[0]?.message ?? 'bad PCI address'}`);
          functions = gpuFunctions(buildDoctorReport(host), parsed.data);
        }
        const audio = values.audio === undefined ? base.audio : String(values.audio);
        if (audio !== null && !['pulseaudio', 'spice', 'none'].includes(audio)) throw new UsageError('--audio is pulseaudio, spice or none');
        const network = typeof values.network === 'string' ? values.network : base.network;
        const diskPath = absolute(values.disk, '--disk') ?? base.disk.path;
        const hostCores = int(values['host-cores'], '--host-cores', 1);
        const opts: NewVmOptions = {
          ...base,
          memoryMiB: int(values.memory, '--memory', 1024) ?? defaultVmMemoryMiB(host),
          disk: { path: diskPath, createGiB: values['existing-disk'] ? null : (int(values['disk-size'], '--disk-size', 1) ?? 128) },
          windowsIso: absolute(values['windows-iso'], '--windows-iso'),
          virtioIso: absolute(values['virtio-iso'], '--virtio-iso'),
          gpuFunctions: functions,
          romFile: absolute(values.rom, '--rom'),
          hugepages: Boolean(values.hugepages),
          network: network === 'user' ? null : network,
          input: {
            usb: ((values.usb as string[] | undefined) ?? []).map((id) => usbId(id)),
            evdevKeyboard: absolute(values.keyboard, '--keyboard'),
            evdevMouse: absolute(values.mouse, '--mouse'),
            grabToggle: grabToggle(values['grab-toggle']),
          },
          display: display(values.display) ?? displayFor(host, functions),
          domainType: values.software ? 'qemu' : 'kvm',
          secureBoot: !values['no-secure-boot'],
          tpm: !values['no-tpm'],
          audio: audio as NewVmOptions['audio'],
          ...(hostCores === undefined ? {} : { hostCores }),
        };
        const vm = planNewVm(host, opts);
        return await reviewAndApply(io, { name, before: null, after: vm.after, createDisk: vm.createDisk }, {
          yes: Boolean(values.yes), json: values.json, dataDir: dataDirOf(values), virsh, warnings: vm.warnings,
          command: `gpu-ferry vm create ${JSON.stringify(name)} ...`,
        });
      } finally {
        await loaded.cleanup();
      }
    }),
};
