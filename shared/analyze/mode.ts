// The mode recommendation: single-gpu, dual-gpu or none, with the reasons a person can read.
import type { GpuReport, DoctorReport } from './report';

type Recommendation = DoctorReport['recommendation'];

export interface ModeInput {
  virtualization: boolean;
  kvmDevice: boolean;
  iommu: DoctorReport['iommu']['state'];
  gpus: GpuReport[];
}

const label = (g: GpuReport) => `${g.name} (${g.address})`;

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
