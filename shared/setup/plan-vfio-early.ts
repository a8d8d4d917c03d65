// Goal `vfio-early`: vfio-pci claims a GPU (every function of its slot) at boot, for the dual-GPU static
// mode; and its reversal `--remove`, which also takes vfio-pci ids set up by hand off the kernel command
// line and vfio out of the initramfs (hand-made modprobe.d lines are named for the user to delete).
import type { HostModel, PciDevice } from '../host/model';
import { emptyPlan, type Plan, type Step } from '../plan/model';
import { planCmdline } from './cmdline-target';
import {
  bootDisplayGpu,
  encryptedRoot,
  firmwareIommuAdvice,
  iommuOffInFirmware,
  isBridge,
  isDisplayClass,
  onlyHostDisplay,
  slotFunctions,
} from './host-facts';
import { initramfsRebuild } from './initramfs-rebuild';
import { initramfsVfio } from './initramfs-vfio';
import { foreignVfioIds, idOf, VFIO_MODPROBE_FILE, vfioModprobeFile } from './modprobe-vfio';
import { filesUnder } from './cmdline-change';
import { planIommu } from './plan-iommu';
import { removeStep, touchedPaths, writeStep } from './steps';

export interface VfioEarlyOptions {
  gpu?: string;
  remove?: boolean;
}

const IDS_PARAM = 'vfio-pci.ids';
/** dracut's early load of vfio-pci, used on rpm-ostree. */
const PRELOAD_PARAM = 'rd.driver.pre=vfio_pci';
const REBOOT = 'vfio-pci binds devices only while the kernel boots: the change takes effect after a restart.';

const vfioBuiltin = (host: HostModel): boolean => host.kernel.builtin.includes('vfio_pci');

/**
 * Where the ids must go on the kernel command line: vfio-pci built in; booster (which loads modules
 * itself); rpm-ostree, whose initramfs is built by the distro (`rd.driver.pre=vfio_pci` makes dracut load
 * vfio-pci there before anything else, with the ids from the command line).
 */
const idsOnCmdline = (host: HostModel): boolean =>
  vfioBuiltin(host) || host.initramfs === 'booster' || host.bootloader.kind === 'rpm-ostree';
const cmdlineHow = (host: HostModel): string =>
  vfioBuiltin(host)
    ? 'this kernel has vfio-pci built in'
    : host.initramfs === 'booster'
      ? 'booster loads modules without modprobe'
      : 'rpm-ostree systems boot an initramfs built by the distro';

/** The IOMMU parameters are still to be added (false when that cannot be told, e.g. unknown bootloader). */
function iommuPending(host: HostModel): boolean {
  try {
    return planIommu(host).steps.length > 0;
  } catch {
    return false;
  }
}

function findGpu(host: HostModel, address: string): PciDevice {
  const gpu = host.pci.find((d) => d.address === address.toLowerCase());
  if (!gpu) throw new Error(`No PCI device ${address} on this machine; \`gpu-ferry doctor\` lists the GPUs`);
  if (!isDisplayClass(gpu))
    throw new Error(
      `${address} is not a GPU (PCI class ${gpu.classCode}); pass the address of the GPU's function 0`,
    );
  const boot = bootDisplayGpu(host);
  if (boot && boot.address === gpu.address) {
    throw new Error(
      `Refusing: ${address} drives the host display at boot. Binding it to vfio-pci at boot would leave this machine without a screen. Use the single-GPU handoff mode instead, or make the other GPU the primary display in the firmware settings first.`,
    );
  }
  if (onlyHostDisplay(host, gpu)) {
    throw new Error(
      `Refusing: ${address} drives every screen of the host now (no other GPU has a monitor connected). Binding it to vfio-pci at boot would leave this machine without a screen. Connect a monitor to the other GPU first, or use the single-GPU handoff mode.`,
    );
  }
  return gpu;
}

/** Files in /etc/modprobe.d/ other than ours. */
const otherModprobeFiles = (host: HostModel): string[] =>
  filesUnder(host.files, '/etc/modprobe.d', '.conf').filter((p) => p !== VFIO_MODPROBE_FILE);

/** `steps` plus one initramfs rebuild at the end when any of them touches an initramfs input. */
function withRebuild(
  host: HostModel,
  steps: Step[],
  initramfsPaths: (p: string) => boolean,
  reason: string,
): Step[] {
  if (!touchedPaths(steps).some(initramfsPaths)) return steps;
  const rebuild = initramfsRebuild(host, reason);
  if (!rebuild) return steps;
  // One rebuild, last (a UKI command line change may already have asked for the same one).
  const same = (s: Step): boolean => s.kind === 'run' && s.argv.join('\0') === rebuild.argv.join('\0');
  return [...steps.filter((s) => !same(s)), rebuild];
}

const isInitramfsInput = (p: string): boolean =>
  p.startsWith('/etc/modprobe.d/') ||
  (!p.startsWith('/boot/') && /mkinitcpio|dracut|initramfs-tools|booster/.test(p));
const listed = (devices: PciDevice[]): string =>
  `${devices.map((d) => d.address).join(', ')} ${devices.length === 1 ? 'has' : 'have'}`;

/** Our modprobe and initramfs edits only reach early boot once every initramfs image is rebuilt. */
const withInitramfsRebuild = (host: Parameters<typeof withRebuild>[0], steps: Parameters<typeof withRebuild>[1]) =>
  withRebuild(host, steps, isInitramfsInput, 'the initramfs holds a copy of these settings: rebuild every image');

export function planVfioEarly(host: HostModel, options: VfioEarlyOptions): Plan {
  if (options.remove) return planVfioRemove(host);
  if (!options.gpu) throw new Error('vfio-early needs --gpu ADDRESS (the GPU to hand to the VM) or --remove');
  const gpu = findGpu(host, options.gpu);
  const functions = slotFunctions(host, gpu.address);
  const ours = new Set(functions.map((f) => f.address));
  const ourIds = new Set(functions.map(idOf));
  const twins = host.pci.filter((d) => !ours.has(d.address) && ourIds.has(idOf(d)));
  const byAddress = twins.length > 0;
  const onCmdline = idsOnCmdline(host);
  if (byAddress && onCmdline) {
    throw new Error(
      `${listed(twins)} the same vendor:device ids as the GPU, so vfio-pci must bind by address; that needs vfio-pci as a module loaded through modprobe, but ${cmdlineHow(host)}. Not supported on this machine.`,
    );
  }
  const plan = emptyPlan('vfio-early', `Bind ${gpu.address} to vfio-pci at boot`);
  const warnings: string[] = [];
  const steps: Step[] = [];
  const ids = [...ourIds].join(',');

  const content = vfioModprobeFile({ functions, byAddress, idsInFile: !onCmdline });
  if (!onCmdline || !vfioBuiltin(host))
    steps.push(
      ...writeStep(
        VFIO_MODPROBE_FILE,
        content,
        host.files[VFIO_MODPROBE_FILE] ?? null,
        `let vfio-pci claim ${[...ours].join(', ')} before any host driver`,
      ),
    );
  if (onCmdline) {
    const preload = host.bootloader.kind === 'rpm-ostree' && !vfioBuiltin(host) ? [PRELOAD_PARAM] : [];
    const edit = planCmdline(host, {
      add: [`${IDS_PARAM}=${ids}`, ...preload],
      removeKeys: [],
      purpose: `let vfio-pci claim ${ids} at boot (${cmdlineHow(host)})`,
    });
    steps.push(...edit.steps);
    warnings.push(...edit.warnings);
  }
  if (!vfioBuiltin(host) && host.bootloader.kind !== 'rpm-ostree') {
    const initramfs = initramfsVfio(host, false);
    steps.push(...initramfs.steps);
    warnings.push(...initramfs.warnings);
  }
  plan.steps = withInitramfsRebuild(host, steps);

  if (byAddress) {
    warnings.push(
      `${listed(twins)} the same ids as this GPU, so GPU Ferry binds by PCI address (a modprobe install hook writes driver_override for ${[...ours].join(', ')}); if you move the card to another slot, plan this again.`,
    );
  }
  const screens = Object.entries(gpu.drm?.connectors ?? {})
    .filter(([, status]) => status === 'connected')
    .map(([name]) => name);
  if (screens.length > 0)
    warnings.push(
      `A monitor is connected to this GPU (${screens.join(', ')}): after the restart the host no longer drives it; connect it to the other GPU.`,
    );
  const group = new Set(functions.map((f) => f.iommuGroup).filter((g): g is number => g !== null));
  const peers = host.pci.filter(
    (d) => !ours.has(d.address) && d.iommuGroup !== null && group.has(d.iommuGroup) && !isBridge(d),
  );
  if (peers.length > 0)
    warnings.push(
      `The GPU's IOMMU group also holds ${peers.map((p) => p.address).join(', ')}: the VM can start only when those are free too.`,
    );
  const foreign = otherModprobeFiles(host).filter((p) => foreignVfioIds(host.files[p] ?? '').length > 0);
  if (foreign.length > 0)
    warnings.push(
      `${foreign.join(', ')} also set vfio-pci ids (set up by hand?): the last one read wins. Run \`gpu-ferry apply vfio-early --remove\` first to clean up.`,
    );
  if (plan.steps.length > 0 && encryptedRoot(host)) {
    warnings.push(
      'The root file system is encrypted: with vfio-pci in the initramfs, the passphrase prompt may appear on the other GPU, or the screen may freeze at the prompt on some firmware. Keep a way to type it blind or connect both GPUs before rebooting.',
    );
  }
  if (iommuOffInFirmware(host)) warnings.push(firmwareIommuAdvice(host));
  else if (iommuPending(host))
    warnings.push(
      'The IOMMU kernel parameters are not set yet: apply the `iommu` goal too, or vfio-pci cannot be used by a VM.',
    );
  plan.warnings = warnings;
  if (plan.steps.length > 0) plan.reboot = REBOOT;
  return plan;
}

/** --remove: our file, ids found in other modprobe.d files and on the kernel command line, vfio in the initramfs. */
export function planVfioRemove(host: HostModel): Plan {
  const plan = emptyPlan('vfio-early', 'Stop binding GPUs to vfio-pci at boot');
  const steps: Step[] = [];
  const warnings: string[] = [];
  const ours = host.files[VFIO_MODPROBE_FILE];
  if (ours !== undefined)
    steps.push(removeStep(VFIO_MODPROBE_FILE, ours, 'stop vfio-pci from claiming GPUs at boot'));
  // The helper may write only the modprobe.d files this app owns (a deliberate limit of its allowlist),
  // so ids set up by hand there are reported with the exact lines to delete rather than edited.
  for (const path of otherModprobeFiles(host)) {
    const text = host.files[path] ?? '';
    const lines = text.split('\n').filter((l) => foreignVfioIds(l).length > 0);
    if (lines.length > 0)
      warnings.push(
        `${path} sets vfio-pci ids by hand; GPU Ferry does not edit files it does not own: remove the ids from ${lines.map((l) => `"${l.trim()}"`).join(', ')} (as root), then rebuild the initramfs.`,
      );
  }
  try {
    const edit = planCmdline(host, {
      add: [],
      removeKeys: [IDS_PARAM, PRELOAD_PARAM],
      purpose: 'stop vfio-pci from claiming GPUs at boot',
    });
    steps.push(...edit.steps);
    warnings.push(...edit.warnings);
  } catch (error) {
    if (/vfio[-_]pci\.ids=/.test(host.kernel.cmdline ?? ''))
      warnings.push(
        `vfio-pci.ids is on the running kernel command line; remove it by hand: ${(error as Error).message}`,
      );
  }
  const initramfs = initramfsVfio(host, true);
  steps.push(...initramfs.steps);
  warnings.push(...initramfs.warnings);
  plan.steps = withInitramfsRebuild(host, steps);
  plan.warnings = warnings;
  if (plan.steps.length > 0) plan.reboot = REBOOT;
  return plan;
}
