// Pure planning of a VM change: from the host model, the VM's current XML and the person's choices to
// the new XML and the warnings worth reading first. The CLI (`gpu-ferry vm ...`) and the app's
// `vm.review` both use it; applying (virsh, backups, qemu-img) lives in electron/system/libvirt-apply.ts.
import type { DoctorReport } from '../analyze/report';
import type { HostModel } from '../host/model';
import { attachGpu, detachGpu, virtualFunctionToAttach } from './gpu-hostdev';
import { defaultNewVmOptions, hugepagesFor, newVmXml, type NewVmOptions } from './new-vm-xml';
import { appliedTuning, applyTuning, hugepagesShortfall, removeTuning } from './tuning';
import { lookingGlassDomainXml, type LgDeviceChange } from '../lg/domain';
import { lgSizeMiB, parseResolution } from '../lg/size';
import { modeOfFunctions } from './preflight';
import type { VmAttachRequest, VmCreateRequest, VmDetachRequest, VmLookingGlassRequest } from './vm-change-request';

export interface PlannedVmChange {
  after: string;
  createDisk: string[] | null;
  warnings: string[];
}

/** Every PCI function that must travel with the GPU at `address` (the doctor report's `functions`). */
export function gpuFunctions(report: DoctorReport, address: string): string[] {
  const gpu = report.gpus.find((g) => g.address === address || g.functions.includes(address));
  if (!gpu) {
    const vf = virtualFunctionToAttach(report, address);
    if (vf) return vf;
    const known = report.gpus.map((g) => g.address).join(', ') || 'none';
    throw new Error(
      `${address} is not a GPU on this machine (GPUs: ${known}), nor an SR-IOV virtual function in an IOMMU group of its own.`,
    );
  }
  return gpu.functions.length > 0 ? gpu.functions : [gpu.address];
}

/** Every function of every GPU of this machine (what `detach` without a GPU removes). */
export const allGpuFunctions = (report: DoctorReport): string[] =>
  report.gpus.flatMap((g) => (g.functions.length > 0 ? g.functions : [g.address]));

/** Memory for a new VM when none is chosen: half the host's, between 1 and 16 GiB. */
export const defaultVmMemoryMiB = (host: HostModel): number =>
  Math.max(1024, Math.min(16384, Math.floor((host.memory.MemTotal ?? 0) / 1024 / 2)));

/** A new VM from complete options (the CLI's path), with the warnings about the host. */
export function planNewVm(host: HostModel, options: NewVmOptions): PlannedVmChange {
  const vm = newVmXml(host, options);
  const warnings = [...vm.warnings];
  if (options.hugepages) {
    const pages = hugepagesFor(options.memoryMiB);
    const free = host.memory.HugePages_Free ?? 0;
    if (free < pages)
      warnings.push(
        `Huge pages: ${pages} pages of 2 MiB are needed and ${free} are free. Reserve them before starting the VM (the "hugepages" setup step does it: vm.nr_hugepages = ${pages}).`,
      );
  }
  if (!host.cpu.kvmDevice && options.domainType === 'kvm')
    warnings.push('/dev/kvm is missing: the VM will not start until virtualization (VT-x / AMD-V) is enabled in the firmware.');
  return { after: vm.xml, createDisk: vm.createDisk, warnings };
}

/**
 * A SPICE screen unless the VM takes the GPU the desktop is on (single GPU: that GPU's monitor is the
 * only screen, and the installer appears there once the VM starts).
 */
export const displayFor = (host: HostModel, functions: string[]): 'spice' | 'none' =>
  modeOfFunctions(host, functions) === 'single-gpu' ? 'none' : 'spice';

/** A new VM from the app's choices: everything else takes GPU Ferry's defaults. */
export function planCreate(host: HostModel, report: DoctorReport, request: VmCreateRequest): PlannedVmChange {
  const base = defaultNewVmOptions(request.name);
  const disk = 'existing' in request.disk ? { path: request.disk.existing, createGiB: null } : { path: base.disk.path, createGiB: request.disk.newGiB };
  const functions = request.gpu ? gpuFunctions(report, request.gpu) : [];
  return planNewVm(host, {
    ...base,
    memoryMiB: request.memoryMiB,
    disk,
    windowsIso: request.windowsIso,
    virtioIso: request.virtioIso,
    gpuFunctions: functions,
    input: request.input,
    display: displayFor(host, functions),
    hugepages: request.hugepages,
    ...(request.hostCores === undefined ? {} : { hostCores: request.hostCores }),
  });
}

/** The GPU's functions as hostdevs and the chosen tuning added to an existing VM's XML. */
export function planAttach(host: HostModel, report: DoctorReport, before: string, request: Omit<VmAttachRequest, 'kind' | 'name'> & { rom?: string | null }): PlannedVmChange {
  const functions = request.gpu ? gpuFunctions(report, request.gpu) : [];
  let after = request.gpu ? attachGpu(before, { functions, rom: request.rom ?? null }) : before;
  const warnings: string[] = [];
  // Tuning already applied is left alone: libvirt re-serializes the XML on define, so applying it again
  // would show a diff (our metadata moved) for a change that changes nothing.
  const already = appliedTuning(before);
  if (request.tune.some((t) => !already.includes(t))) {
    const tuned = applyTuning(after, { options: request.tune, cpu: host.cpu, ...(request.hostCores === undefined ? {} : { hostCores: request.hostCores }) });
    after = tuned.xml;
    for (const el of tuned.replaced)
      warnings.push(`Replaces the VM's own ${el}; the original is kept in its metadata and detaching GPU Ferry's changes puts it back.`);
    const short = tuned.applied.includes('hugepages') ? hugepagesShortfall(after, host.memory) : null;
    if (short) warnings.push(short);
  }
  return { after, createDisk: null, warnings };
}

/** The GPU's hostdevs (all GPUs' when `gpu` is null) and, unless kept, GPU Ferry's tuning removed. */
export function planDetach(report: DoctorReport, before: string, request: Omit<VmDetachRequest, 'kind' | 'name'>): PlannedVmChange {
  const functions = request.gpu ? gpuFunctions(report, request.gpu) : allGpuFunctions(report);
  const detached = detachGpu(before, functions);
  return { after: request.keepTuning ? detached : removeTuning(detached), createDisk: null, warnings: [] };
}

/** The Looking Glass device sized for the resolution (QEMU/libvirt versions pick the argument form). */
export function planLookingGlassDevice(
  before: string,
  request: Omit<VmLookingGlassRequest, 'kind' | 'name'>,
  versions: { qemu: string | null; libvirt: string | null },
): PlannedVmChange {
  const change: LgDeviceChange = request.remove
    ? { mode: 'remove' }
    : { mode: request.shm ? 'shm' : 'kvmfr', sizeMiB: lgSizeMiB(parseResolution(request.resolution), request.hdr) };
  return { after: lookingGlassDomainXml(before, change, versions), createDisk: null, warnings: [] };
}
