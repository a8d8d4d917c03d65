// A machine with two SR-IOV physical functions, as a host spec: QEMU's NVMe controller behind a root port
// (the kernel tier's guest, offset 1 stride 1, 3 VFs at most) and an Intel X710 port (offset 0x80, 64 VFs
// at most) with NVME_VFS and NIC_VFS virtual functions existing. For the SR-IOV guard and request tests.
import { existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
export const NVME_PF = '0000:01:00.0';
export const NIC_PF = '0000:02:00.0';

export function sriovHostSpec({ nvmeVfs = 0, nicVfs = 1 }: { nvmeVfs?: number; nicVfs?: number } = {}): unknown {
  const bridge = (address: string) => ({ address, class: '0x060400', vendor: '0x1b36', device: '0x000c', driver: 'pcieport', iommuGroup: 2 + Number(address.slice(8, 9)) });
  const vf = (address: string, pf: string, group: number, template: { class: string; vendor: string; device: string }) => ({
    address,
    ...template,
    driver: null,
    iommuGroup: group,
    physfn: pf,
  });
  const nvme = { class: '0x010802', vendor: '0x1b36', device: '0x0010' };
  const nic = { class: '0x020000', vendor: '0x8086', device: '0x1572' };
  return {
    format: 'gpu-ferry-host/1',
    iommu: { enabled: true },
    files: { '/etc/os-release': 'ID=debian\nVERSION_ID="12"\n' },
    pci: [
      bridge('0000:00:03.0'),
      bridge('0000:00:04.0'),
      { address: NVME_PF, ...nvme, driver: 'nvme', iommuGroup: 10, parent: '0000:00:03.0', sriovTotalVfs: 3, sriovNumVfs: nvmeVfs, sriovOffset: 1, sriovStride: 1 },
      ...Array.from({ length: nvmeVfs }, (_, i) => vf(`0000:01:00.${i + 1}`, NVME_PF, 11 + i, nvme)),
      { address: NIC_PF, ...nic, driver: 'i40e', iommuGroup: 20, parent: '0000:00:04.0', sriovTotalVfs: 64, sriovNumVfs: nicVfs, sriovOffset: 0x80, sriovStride: 1 },
      ...Array.from({ length: nicVfs }, (_, i) => vf(`0000:02:10.${i}`, NIC_PF, 21 + i, nic)),
    ],
  };
}

/**
 * In a materialized tree ROOT: process PID named NAME holds /dev/vfio/GROUP open (a VM's QEMU), as /proc
 * shows it: its fd 7 a link to the node. The node is a plain file here; root compares device and inode.
 */
export function holdVfioGroup(root: string, pid: number, name: string, group: number): void {
  mkdirSync(path.join(root, 'dev/vfio'), { recursive: true });
  const node = path.join(root, 'dev/vfio', String(group));
  if (!existsSync(node)) writeFileSync(node, '');
  mkdirSync(path.join(root, 'proc', String(pid), 'fd'), { recursive: true });
  writeFileSync(path.join(root, 'proc', String(pid), 'comm'), `${name}\n`);
  symlinkSync(node, path.join(root, 'proc', String(pid), 'fd', '7'));
}
