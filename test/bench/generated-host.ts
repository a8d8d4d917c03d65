// A large generated host spec for benchmarks: `groups` IOMMU groups of `perGroup` functions each, one
// in eight groups holding a GPU (VGA + HDMI audio), the rest NVMe, USB and network endpoints.
const hex2 = (n: number) => n.toString(16).padStart(2, '0');

export function generatedHost(groups = 64, perGroup = 8): Record<string, unknown> {
  const pci: Record<string, unknown>[] = [];
  let card = 0;
  for (let g = 0; g < groups; g++) {
    const bus = hex2(g + 1);
    const withGpu = g % 8 === 3;
    for (let f = 0; f < perGroup; f++) {
      const slot = hex2(Math.floor(f / 8));
      const address = `0000:${bus}:${slot}.${f % 8}`;
      const base = { address, iommuGroup: g, resetMethods: ['flr', 'bus'] };
      if (withGpu && f === 0) {
        pci.push({
          ...base,
          class: '0x030000',
          vendor: '0x10de',
          device: '0x2206',
          subsystemVendor: '0x1043',
          subsystemDevice: '0x87b3',
          driver: 'nvidia',
          bootVga: card === 0,
          drm: {
            card: `card${card}`,
            connectors: { 'DP-1': card === 0 ? 'connected' : 'disconnected', 'HDMI-A-1': 'disconnected' },
          },
        });
        card++;
      } else if (withGpu && f === 1) {
        pci.push({ ...base, class: '0x040300', vendor: '0x10de', device: '0x1aef', driver: 'snd_hda_intel' });
      } else if (f === 0) {
        pci.push({ ...base, class: '0x060400', vendor: '0x1022', device: '0x1483', driver: 'pcieport' });
      } else {
        const kinds = [
          { class: '0x010802', vendor: '0x144d', device: '0xa808', driver: 'nvme' },
          { class: '0x0c0330', vendor: '0x1022', device: '0x149c', driver: 'xhci_hcd' },
          { class: '0x020000', vendor: '0x8086', device: '0x1539', driver: 'igb' },
        ];
        pci.push({ ...base, ...kinds[f % kinds.length] });
      }
    }
  }
  return {
    format: 'gpu-ferry-host/1',
    name: `generated: ${pci.length} PCI devices in ${groups} IOMMU groups`,
    cpu: {
      vendor: 'AuthenticAMD',
      model: 'AMD EPYC 9654 96-Core Processor',
      flags: ['svm', 'npt'],
      cores: 96,
      threads: 192,
    },
    firmware: { efi: true, acpiTables: ['APIC', 'DSDT', 'FACP', 'IVRS', 'MCFG'] },
    kernel: {
      release: '6.12.4-arch1-1',
      cmdline: 'root=UUID=0a1b rw amd_iommu=on iommu=pt',
      modules: ['nvidia', 'snd_hda_intel', 'kvm_amd'],
      builtin: [],
      available: ['vfio_pci'],
    },
    iommu: { enabled: true },
    pci,
    files: {
      '/etc/os-release': 'ID=arch\nNAME="Arch Linux"\n',
      '/etc/default/grub': 'GRUB_CMDLINE_LINUX_DEFAULT="quiet"\n',
    },
    symlinks: { '/etc/systemd/system/display-manager.service': '/usr/lib/systemd/system/sddm.service' },
    commands: ['grub-mkconfig', 'mkinitcpio', 'virsh', 'systemctl'],
    users: [{ name: 'alex', uid: 1000, groups: ['wheel', 'kvm', 'libvirt'] }],
  };
}
