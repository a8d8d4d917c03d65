// /etc/modprobe.d/gpu-ferry-vfio.conf: the file this app owns that makes vfio-pci claim the passthrough
// GPU at boot, and the reader that finds vfio-pci ids set up by hand in other modprobe.d files.
//
// Two ways to bind:
//  - by ids (`options vfio-pci ids=10de:2206,10de:1aef`): vfio-pci claims every device with those ids;
//  - by address, when another device in the machine has the same ids (two identical GPUs, one kept by
//    the host): an `install vfio-pci` hook writes `vfio-pci` into driver_override of exactly our
//    functions, then loads the module for real (`modprobe -i` ignores the hook). The `softdep` lines
//    make modprobe load vfio-pci (and so run the hook) before any GPU, audio or USB driver is loaded, in
//    the initramfs and on the root filesystem alike; a device whose driver_override says vfio-pci is
//    ignored by every other driver. We chose this over a udev rule because udev runs rules for a device
//    possibly after a driver that is already loaded (for the host's identical GPU) has bound it, while
//    the hook runs before the driver module exists at all. Needs vfio-pci as a module and kmod's modprobe.
import type { PciDevice } from '../host/model';

export const VFIO_MODPROBE_FILE = '/etc/modprobe.d/gpu-ferry-vfio.conf';

/** Drivers that could claim each kind of function before vfio-pci, by class and vendor. */
function candidateDrivers(d: PciDevice): string[] {
  const cls = d.classCode;
  const fromClass = cls.startsWith('03')
    ? ({ '10de': ['nouveau', 'nvidia'], '1002': ['amdgpu', 'radeon'], '8086': ['i915', 'xe'] }[d.vendorId] ??
      [])
    : cls.startsWith('0403')
      ? ['snd_hda_intel']
      : cls.startsWith('0c03')
        ? ['xhci_pci'] // the PCI glue of xhci_hcd: the module that binds the device
        : cls.startsWith('0c80') && d.vendorId === '10de'
          ? ['i2c_nvidia_gpu']
          : [];
  const current =
    d.driver && !['vfio-pci', 'vfio_pci', 'pci-stub', 'pci_stub'].includes(d.driver)
      ? [d.driver.replace(/-/g, '_'), ...(MODULE_OF_DRIVER[d.driver] ?? [])]
      : [];
  return [...fromClass, ...current];
}

// A softdep names a module, but sysfs shows the PCI driver's name, which is usually the module's with '-'
// for '_'. Where it is not, the module that registers the driver (found by the system tier: bochs-drm's
// softdep named no module, so bochs bound the GPU before vfio-pci at boot while the audio went to vfio-pci).
const MODULE_OF_DRIVER: Record<string, string[]> = {
  'bochs-drm': ['bochs'], // drivers/gpu/drm/tiny/bochs.c since Linux 5.14; bochs_drm before
  'virtio-pci': ['virtio_pci'],
  xhci_hcd: ['xhci_pci'],
  'nvidia-gpu': ['i2c_nvidia_gpu'],
};

export const softdepDrivers = (functions: PciDevice[]): string[] =>
  [...new Set(functions.flatMap(candidateDrivers))].sort();

export const idOf = (d: PciDevice): string => `${d.vendorId}:${d.deviceId}`;

export interface VfioBinding {
  functions: PciDevice[];
  byAddress: boolean;
  /** Write `options vfio-pci ids=` (false where the ids go on the kernel command line instead). */
  idsInFile: boolean;
}

export function vfioModprobeFile(b: VfioBinding): string {
  const addresses = b.functions.map((f) => f.address);
  const ids = [...new Set(b.functions.map(idOf))];
  const lines = [
    '# Written by GPU Ferry (vfio-early): vfio-pci claims these devices at boot so that no host driver',
    `# touches them: ${b.functions.map((f) => `${f.address} [${idOf(f)}]`).join(', ')}.`,
    '# Undo with `gpu-ferry undo` or `gpu-ferry apply vfio-early --remove`; edits here are overwritten.',
  ];
  if (b.byAddress) {
    lines.push(
      '# Another device has the same ids, so bind by PCI address: driver_override, then load vfio-pci.',
      `install vfio-pci for d in ${addresses.join(' ')}; do [ -e /sys/bus/pci/devices/$d/driver_override ] && echo vfio-pci > /sys/bus/pci/devices/$d/driver_override; done; exec modprobe -i vfio-pci $CMDLINE_OPTS`,
    );
  } else if (b.idsInFile) {
    lines.push(`options vfio-pci ids=${ids.join(',')}`);
  }
  lines.push('# Load vfio-pci before any driver that could claim these devices first.');
  for (const driver of softdepDrivers(b.functions)) lines.push(`softdep ${driver} pre: vfio-pci`);
  return `${lines.join('\n')}\n`;
}

/** The `ids=` values of `options vfio-pci ...` lines in modprobe.d text (also `vfio_pci`). */
const OPTIONS_LINE = /^([ \t]*options[ \t]+vfio[-_]pci\b)([^\n]*)$/gm;

export const foreignVfioIds = (text: string): string[] =>
  [...text.matchAll(OPTIONS_LINE)].flatMap((m) =>
    [...(m[2] ?? '').matchAll(/(?:^|[ \t])ids=(\S+)/g)].map((i) => i[1] ?? ''),
  );
