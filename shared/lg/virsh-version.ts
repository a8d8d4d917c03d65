// Reads `virsh version` output: the libvirt and QEMU versions decide which kvmfr XML form to write.

export interface HypervisorVersions {
  libvirt: string | null;
  qemu: string | null;
}

export function parseVirshVersion(output: string): HypervisorVersions {
  const libvirt = /Using library: libvirt (\d+\.\d+\.\d+)/.exec(output)?.[1] ?? null;
  const qemu = /Running hypervisor: QEMU (\d+\.\d+\.\d+)/.exec(output)?.[1] ?? null;
  return { libvirt, qemu };
}
