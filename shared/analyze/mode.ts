// The mode recommendation: single-gpu, dual-gpu or none, with the reasons a person can read.
import type { GpuReport, DoctorReport } from './report';

type Recommendation = DoctorReport['recommendation'];

export interface ModeInput {
  /** Optional: the processor vendor, for what an integrated-only machine can do. */
  cpuVendor?: 'intel' | 'amd' | 'other';
  virtualization: boolean;
  kvmDevice: boolean;
  iommu: DoctorReport['iommu']['state'];
  gpus: GpuReport[];
}

const label = (g: GpuReport) => `${g.name} (${g.address})`;

/** What a machine whose only GPU is integrated can and cannot do, in words. */
function onlyIntegratedReasons(gpus: GpuReport[], cpuVendor: ModeInput['cpuVendor']): string[] {
  const igpu = gpus[0]!;
  const reasons = [
    `${label(igpu)} is the only GPU and it is integrated into the processor: it is not passed through, because the host would lose its only display for the whole VM run and an integrated GPU rarely comes back cleanly without a reboot.`,
    'What works here: a VM with virtual graphics (virtio-gpu or QXL, shown in a window through SPICE), fine for desktop work but without 3D acceleration in Windows.',
  ];
  if (igpu.vendorId === '8086')
    reasons.push(
      'Intel iGPUs from 11th/12th generation on can give a VM a slice of the GPU through SR-IOV virtual functions (the xe driver, or i915 with the out-of-tree SR-IOV module): create them and GPU Ferry lists each one as a GPU. 5th–10th generation iGPUs had GVT-g instead, which newer kernels no longer ship.',
    );
  else if (igpu.vendorId === '1002' || cpuVendor === 'amd')
    reasons.push(
      'AMD integrated Radeon graphics offer no SR-IOV on consumer processors, so no slice of it can go to a VM.',
    );
  reasons.push(
    'For GPU passthrough add a discrete GPU (a desktop slot, or an external one over Thunderbolt/USB4 or OCuLink) and run the doctor again.',
  );
  return reasons;
}

/** A GPU that may go to a VM: a clean group, and not the host's integrated GPU (SR-IOV VFs excepted). */
function passable(g: GpuReport, virtualFunctions: Set<string>): boolean {
  return g.isolation === 'isolated' && (!g.integrated || virtualFunctions.has(g.address));
}

export function recommendMode(input: ModeInput): Recommendation {
  const none = (reasons: string[]): Recommendation => ({ mode: 'none', gpu: null, reasons });
  if (!input.virtualization)
    return none([
      'The CPU does not offer hardware virtualization (VT-x/AMD-V), or it is disabled in firmware.',
    ]);
  if (input.iommu === 'off-in-firmware')
    return none([
      'The firmware exposes no IOMMU (no ACPI DMAR/IVRS table): enable VT-d / AMD-Vi in the firmware setup.',
    ]);
  if (input.iommu === 'off-in-kernel')
    return none([
      'The firmware has an IOMMU but the kernel did not enable it: add the IOMMU kernel parameter and reboot.',
    ]);
  if (input.iommu === 'unknown')
    return none(['The IOMMU state could not be read (no /sys/kernel/iommu_groups, no ACPI tables).']);
  if (input.gpus.length === 0) return none(['No GPU (PCI display-class device) was found.']);

  const vfs = new Set(input.gpus.flatMap((g) => g.sriov?.virtualFunctions ?? []));
  const candidates = input.gpus.filter((g) => passable(g, vfs));
  if (candidates.length === 0 && input.gpus.every((g) => g.integrated))
    return none(onlyIntegratedReasons(input.gpus, input.cpuVendor));
  if (candidates.length === 0) {
    const reasons = input.gpus.map((g) =>
      g.isolation === 'shared'
        ? `${label(g)} shares IOMMU group ${g.iommuGroup} with ${g.groupPeers.join(', ')}: passing it would take those devices from the host too.`
        : g.integrated
          ? `${label(g)} is the integrated GPU; passing it through is not supported.`
          : `${label(g)} cannot be isolated (isolation ${g.isolation}).`,
    );
    return none(reasons);
  }

  // A host keeper: a GPU with display outputs that does not travel with the candidate.
  const keeperFor = (c: GpuReport) =>
    input.gpus
      .filter(
        (g) =>
          g.address !== c.address &&
          !c.functions.includes(g.address) &&
          !c.groupPeers.includes(g.address) &&
          g.displayOutputs !== false &&
          !vfs.has(g.address),
      )
      .sort((a, b) => Number(b.drivesHostDisplay) - Number(a.drivesHostDisplay));
  const ranked = [...candidates].sort(
    (a, b) =>
      Number(a.drivesHostDisplay) - Number(b.drivesHostDisplay) ||
      Number(vfs.has(a.address)) - Number(vfs.has(b.address)) ||
      a.address.localeCompare(b.address),
  );
  for (const c of ranked) {
    const keeper = keeperFor(c)[0];
    if (!keeper) continue;
    const reasons = [`${label(c)} can go to the VM while ${label(keeper)} keeps the host display.`];
    if (!keeper.drivesHostDisplay)
      reasons.push(
        `No monitor is connected to ${label(keeper)} now: connect the host's monitor to it before the first handoff.`,
      );
    if (c.displayOutputs === false)
      reasons.push(
        `${label(c)} is a 3D controller without display outputs (a laptop's discrete GPU): the VM's picture is seen through Looking Glass or a remote desktop, not a monitor.`,
      );
    else
      reasons.push(
        "The VM's screen can be shown in a window on the host with Looking Glass, or on a monitor connected to the passed-through GPU.",
      );
    if (vfs.has(c.address))
      reasons.push(
        `${label(c)} is an SR-IOV virtual function: the VM gets a slice of the GPU while the host keeps using it.`,
      );
    if (c.identicalIdsWith?.length)
      reasons.push(
        `${label(c)} has the same vendor:device ids as ${c.identicalIdsWith.join(', ')}: it is bound by address, not by id.`,
      );
    return { mode: 'dual-gpu', gpu: c.address, reasons };
  }
  const only = ranked[0]!;
  const reasons = [
    only.drivesHostDisplay
      ? `${label(only)} is the only GPU that can be passed through, and it also drives the host display.`
      : `${label(only)} is the only GPU that can be passed through, and no other GPU can keep a host display.`,
  ];
  reasons.push('While the VM runs the host desktop closes; it comes back when the VM shuts down.');
  if (only.displayOutputs === false)
    reasons.push(`${label(only)} has no display outputs; the VM is reachable only through a remote desktop.`);
  return { mode: 'single-gpu', gpu: only.address, reasons };
}
