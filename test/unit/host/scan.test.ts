// The scanner on materialized fixture roots, on a nearly empty root, and on odd files.
import { mkdirSync, readdirSync, rmSync, writeFileSync, symlinkSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { materializeHostSpec } from '../../../electron/host/materialize';
import { scanHost } from '../../../electron/host/scan';
import { parseUevent } from '../../../electron/host/scan-pci';
import type { HostModel } from '../../../shared/host/model';
import { fixture, removeTempDirs, tempDir } from './cli-helpers';

afterAll(removeTempDirs);

async function scanFixture(name: string): Promise<HostModel> {
  const m = await materializeHostSpec(JSON.parse(await readFile(fixture(name), 'utf8')));
  try {
    return await scanHost(m.root);
  } finally {
    await m.cleanup();
  }
}

describe('scanHost on fixture hosts', () => {
  it('reads every part of a desktop', async () => {
    const m = await scanFixture('nvidia-only-desktop');
    expect(m.cpu).toMatchObject({
      vendor: 'amd',
      vendorId: 'AuthenticAMD',
      virtualization: true,
      cores: 8,
      threads: 16,
      kvmDevice: true,
      nested: true,
    });
    expect(m.firmware).toEqual({
      efi: true,
      acpiTables: ['APIC', 'DSDT', 'FACP', 'HPET', 'IVRS', 'MCFG', 'SSDT'],
    });
    expect(m.kernel.params).toEqual({ amd_iommu: 'on', iommu: 'pt' });
    expect(m.kernel.available).toContain('kvmfr');
    expect(m.iommu.units).toEqual(['ivhd0']);
    expect(m.iommu.groups[27]).toEqual(['0000:0a:00.0', '0000:0a:00.1']);
    expect(m.iommu.firmwareTable).toBe('IVRS');
    const gpu = m.pci.find((d) => d.address === '0000:0a:00.0');
    expect(gpu).toMatchObject({
      classCode: '030000',
      vendorId: '10de',
      deviceId: '2206',
      subsystemVendorId: '1043',
      subsystemDeviceId: '87b3',
      driver: 'nvidia',
      driverOverride: null,
      iommuGroup: 27,
      bootVga: true,
      resetMethods: ['flr', 'bus'],
      drm: {
        card: 'card1',
        connectors: { 'DP-1': 'connected', 'DP-2': 'disconnected', 'HDMI-A-1': 'disconnected' },
      },
    });
    expect(m.pci.find((d) => d.address === '0000:0a:00.1')?.bootVga).toBeNull();
    expect(m.os).toMatchObject({ id: 'arch', name: 'Arch Linux' });
    expect(m.bootloader).toMatchObject({ kind: 'grub', evidence: ['/etc/default/grub'] });
    expect(m.initramfs).toBe('mkinitcpio');
    expect(m.displayManager).toEqual({ kind: 'sddm', unit: 'sddm.service' });
    expect(m.libvirt).toMatchObject({ virsh: true, libvirtd: true, hooksDirExists: false });
    expect(m.lookingGlass).toMatchObject({ client: false, kvmfrAvailable: true, kvmfrLoaded: false });
    expect(m.users).toEqual([{ name: 'alex', uid: 1000, groups: ['alex', 'kvm', 'libvirt', 'wheel'] }]);
    expect(m.memory.MemTotal).toBe(32768000);
    expect(Object.keys(m.files).sort()).toEqual([
      '/etc/default/grub',
      '/etc/mkinitcpio.conf',
      '/etc/os-release',
    ]);
    expect(m.notes).toEqual([]);
  });

  it('detects bootloader, initramfs and display manager per distribution', async () => {
    const cases: [string, string, string, string, string | null][] = [
      ['amd-navi21-desktop', 'grubby-bls', 'dracut', 'gdm', null],
      ['amd-apu-amd-dgpu', 'systemd-boot', 'dracut', 'sddm', '/efi'],
      ['optimus-laptop', 'kernelstub', 'initramfs-tools', 'gdm', '/boot/efi'],
      ['fedora-silverblue', 'rpm-ostree', 'dracut', 'gdm', null],
      ['ubuntu-builtin-vfio', 'grub', 'initramfs-tools', 'gdm', null],
      ['intel-sriov-igpu', 'systemd-boot', 'mkinitcpio', 'gdm', '/boot'],
      ['no-libvirt', 'grub', 'dracut', 'sddm', null],
    ];
    for (const [name, boot, initramfs, dm, esp] of cases) {
      const m = await scanFixture(name);
      expect({
        name,
        boot: m.bootloader.kind,
        initramfs: m.initramfs,
        dm: m.displayManager.kind,
        esp: m.bootloader.espPath,
      }).toEqual({ name, boot, initramfs, dm, esp });
    }
  });

  it('reads built-in vfio, SR-IOV links and a missing libvirt', async () => {
    const ubuntu = await scanFixture('ubuntu-builtin-vfio');
    expect(ubuntu.kernel.builtin).toEqual([
      'vfio',
      'vfio_iommu_type1',
      'vfio_pci',
      'vfio_pci_core',
      'vfio_virqfd',
    ]);
    const sriov = await scanFixture('intel-sriov-igpu');
    const pf = sriov.pci.find((d) => d.address === '0000:00:02.0');
    expect(pf).toMatchObject({
      sriovTotalVfs: 7,
      sriovNumVfs: 2,
      virtfns: ['0000:00:02.1', '0000:00:02.2'],
      physfn: null,
    });
    expect(sriov.pci.find((d) => d.address === '0000:00:02.2')).toMatchObject({
      physfn: '0000:00:02.0',
      driver: null,
    });
    const bare = await scanFixture('no-libvirt');
    expect(bare.libvirt).toMatchObject({ virsh: false, libvirtd: false, version: null });
  });

  it('reads the bridges above each device from its real sysfs path', async () => {
    const arc = await scanFixture('intel-arc-a750-desktop');
    const bridgesOf = (a: string) => arc.pci.find((d) => d.address === a)?.bridges;
    expect(bridgesOf('0000:05:00.0')).toEqual(['0000:00:01.0', '0000:03:00.0', '0000:04:01.0']);
    expect(bridgesOf('0000:06:00.0')).toEqual(['0000:00:01.0', '0000:03:00.0', '0000:04:04.0']);
    expect(bridgesOf('0000:00:02.0')).toEqual([]);
    expect(arc.pci.find((d) => d.address === '0000:05:00.0')?.drm?.card).toBe('card0');
  });
});

describe('PCI ids from uevent or from single attributes', () => {
  it('parses the kernel uevent format', () => {
    const text =
      'DRIVER=virtio-pci\nPCI_CLASS=18000\nPCI_ID=1AF4:1042\nPCI_SUBSYS_ID=1AF4:1042\nPCI_SLOT_NAME=0000:00:02.0\n';
    expect(parseUevent(text)).toEqual({
      classCode: '018000',
      vendorId: '1af4',
      deviceId: '1042',
      subsystemVendorId: '1af4',
      subsystemDeviceId: '1042',
    });
    expect(parseUevent('DRIVER=x\nPCI_SLOT_NAME=0000:00:02.0\n')).toBeNull();
  });

  it('gives the same devices when no uevent files exist (older snapshots)', async () => {
    const m = await materializeHostSpec(JSON.parse(await readFile(fixture('amd-navi21-desktop'), 'utf8')));
    try {
      const withUevent = await scanHost(m.root);
      const devices = path.join(m.root, 'sys/bus/pci/devices');
      for (const d of readdirSync(devices)) rmSync(path.join(devices, d, 'uevent'));
      expect(await scanHost(m.root)).toEqual(withUevent);
    } finally {
      await m.cleanup();
    }
  });
});

describe('scanHost on incomplete or odd roots', () => {
  it('returns empty values for an empty root, without throwing', async () => {
    const root = tempDir('gf-empty-');
    const m = await scanHost(root);
    expect(m.cpu).toMatchObject({
      vendor: 'other',
      vendorId: null,
      threads: 0,
      virtualization: false,
      kvmDevice: false,
      nested: null,
    });
    expect(m.pci).toEqual([]);
    expect(m.iommu).toEqual({ units: [], groups: {}, firmwareTable: null });
    expect(m.bootloader.kind).toBe('unknown');
    expect(m.initramfs).toBe('none');
    expect(m.displayManager).toEqual({ kind: 'none', unit: null });
    expect(m.files).toEqual({});
    expect(m.notes).toEqual([]);
  });

  it('notes unreadable parts, reads an unknown display manager and libvirt version from the library name', async () => {
    const root = tempDir('gf-odd-');
    mkdirSync(path.join(root, 'proc/cpuinfo'), { recursive: true }); // a directory where a file belongs
    mkdirSync(path.join(root, 'etc/systemd/system'), { recursive: true });
    symlinkSync(
      '/usr/lib/systemd/system/cosmic-greeter.service',
      path.join(root, 'etc/systemd/system/display-manager.service'),
    );
    mkdirSync(path.join(root, 'usr/bin'), { recursive: true });
    writeFileSync(path.join(root, 'usr/bin/virsh'), '');
    mkdirSync(path.join(root, 'usr/lib64'), { recursive: true });
    symlinkSync('libvirt.so.0.10010.0', path.join(root, 'usr/lib64/libvirt.so.0'));
    const m = await scanHost(root);
    expect(m.notes).toEqual(['cannot read /proc/cpuinfo: EISDIR']);
    expect(m.displayManager).toEqual({ kind: 'other', unit: 'cosmic-greeter.service' });
    expect(m.libvirt.version).toBe('10.10.0');
  });
});
