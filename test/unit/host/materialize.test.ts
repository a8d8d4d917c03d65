// The materializer writes exactly the tree of ../shared/host-spec.md §1 and rejects bad specs by field.
import { existsSync, lstatSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  HostSpecError,
  materializeHostSpec,
  materializeSnapshot,
  type MaterializedRoot,
} from '../../../electron/host/materialize';
import { fixture, removeTempDirs, tempDir } from './cli-helpers';

afterAll(removeTempDirs);

const roots: MaterializedRoot[] = [];
afterEach(async () => {
  for (const r of roots.splice(0)) await r.cleanup();
});

async function make(spec: unknown): Promise<string> {
  const m = await materializeHostSpec(spec);
  roots.push(m);
  return m.root;
}

const example = JSON.parse(readFileSync(fixture('nvidia-only-desktop'), 'utf8')) as Record<string, unknown>;

describe('materializeHostSpec', () => {
  it('writes cpuinfo, kernel files, sysfs devices with relative links, commands and users', async () => {
    const root = await make(example);
    const at = (p: string) => path.join(root, p);
    const cpuinfo = readFileSync(at('/proc/cpuinfo'), 'utf8');
    expect(cpuinfo.match(/^processor\t: /gm)).toHaveLength(16);
    expect(cpuinfo).toContain('vendor_id\t: AuthenticAMD');
    expect(readFileSync(at('/proc/cmdline'), 'utf8')).toMatch(/amd_iommu=on iommu=pt\n$/);
    expect(readFileSync(at('/proc/modules'), 'utf8').split('\n')[0]).toMatch(/^nvidia_drm \d+ \d+ - Live 0x/);
    expect(existsSync(at('/sys/module/nvidia'))).toBe(true);
    expect(readFileSync(at('/lib/modules/6.12.4-arch1-1/modules.dep'), 'utf8')).toContain(
      'kernel/drivers/vfio/pci/vfio-pci.ko:',
    );
    const dev = at('/sys/bus/pci/devices/0000:0a:00.0');
    expect(readFileSync(`${dev}/class`, 'utf8')).toBe('0x030000\n');
    expect(readFileSync(`${dev}/subsystem_vendor`, 'utf8')).toBe('0x1043\n');
    expect(readFileSync(`${dev}/boot_vga`, 'utf8')).toBe('1\n');
    expect(readFileSync(`${dev}/reset_method`, 'utf8')).toBe('flr bus\n');
    expect(readFileSync(`${dev}/driver_override`, 'utf8')).toBe('(null)\n');
    // Links are relative so they resolve inside the temporary root, like sysfs.
    expect(readlinkSync(at('/sys/bus/pci/devices/0000:0a:00.0'))).toBe(
      '../../../devices/pci0000:00/0000:0a:00.0',
    );
    expect(readlinkSync(`${dev}/driver`)).toBe('../../../bus/pci/drivers/nvidia');
    expect(statSync(`${dev}/driver`).isDirectory()).toBe(true);
    expect(path.basename(readlinkSync(`${dev}/iommu_group`))).toBe('27');
    expect(readlinkSync(at('/sys/kernel/iommu_groups/27/devices/0000:0a:00.1'))).toMatch(/^\.\.\//);
    expect(existsSync(at('/sys/class/iommu/ivhd0'))).toBe(true);
    expect(readFileSync(at('/sys/class/drm/card1-DP-1/status'), 'utf8')).toBe('connected\n');
    expect(path.basename(readlinkSync(at('/sys/class/drm/card1/device')))).toBe('0000:0a:00.0');
    // Audio function: no boot_vga (not display class), subsystem 0x0000 when absent.
    expect(existsSync(at('/sys/bus/pci/devices/0000:0b:00.4/boot_vga'))).toBe(false);
    expect(readFileSync(at('/sys/bus/pci/devices/0000:05:00.0/subsystem_device'), 'utf8')).toBe('0x0000\n');
    // A command placeholder exists, is executable and refuses to do anything.
    const virsh = at('/usr/bin/virsh');
    expect(statSync(virsh).mode & 0o111).not.toBe(0);
    expect(spawnSync(virsh).status).toBe(1);
    expect(readFileSync(at('/etc/group'), 'utf8')).toMatch(/^libvirt:x:\d+:alex$/m);
    expect(readFileSync(at('/etc/passwd'), 'utf8')).toMatch(/^alex:x:1000:1000:/m);
    expect(readlinkSync(at('/etc/systemd/system/display-manager.service'))).toBe(
      '/usr/lib/systemd/system/sddm.service',
    );
  });

  it('writes no groups when the IOMMU is off, and SR-IOV links when VFs exist', async () => {
    const off = await make(JSON.parse(readFileSync(fixture('iommu-off-firmware'), 'utf8')));
    expect(existsSync(path.join(off, '/sys/kernel/iommu_groups'))).toBe(true);
    expect(existsSync(path.join(off, '/sys/bus/pci/devices/0000:01:00.0/iommu_group'))).toBe(false);
    const sriov = await make(JSON.parse(readFileSync(fixture('intel-sriov-igpu'), 'utf8')));
    const pf = path.join(sriov, '/sys/bus/pci/devices/0000:00:02.0');
    expect(readFileSync(`${pf}/sriov_totalvfs`, 'utf8')).toBe('7\n');
    expect(readFileSync(`${pf}/sriov_numvfs`, 'utf8')).toBe('2\n');
    expect(path.basename(readlinkSync(`${pf}/virtfn1`))).toBe('0000:00:02.2');
    expect(path.basename(readlinkSync(path.join(sriov, '/sys/bus/pci/devices/0000:00:02.1/physfn')))).toBe(
      '0000:00:02.0',
    );
  });

  it('names the field and the reason for each problem, and writes nothing', async () => {
    const dir = path.join(tempDir('gf-spec-'), 'root');
    const bad = {
      ...example,
      pci: [
        { address: '0000:0a:00', class: '0x0300', vendor: '10de', device: '0x2206' },
        {
          address: '0000:0b:00.0',
          class: '0x030000',
          vendor: '0x10de',
          device: '0x2206',
          iommuGroup: 3,
          physfn: '0000:99:00.0',
        },
        { address: '0000:0b:00.0', class: '0x040300', vendor: '0x10de', device: '0x1aef', iommuGroup: 3 },
      ],
      files: { 'etc/passwd': 'x', '/etc/../../escape': 'x' },
      bogus: true,
    };
    const error = await materializeHostSpec(bad, dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HostSpecError);
    const problems = (error as HostSpecError).problems.join('\n');
    expect(problems).toContain('pci[0].address: must be a PCI address like 0000:0a:00.0');
    expect(problems).toContain('pci[0].class: must be 0x followed by 6 hex digits');
    expect(problems).toContain('pci[0].vendor: must be 0x followed by 4 hex digits');
    expect(problems).toMatch(/files\.etc\/passwd.*absolute path/);
    expect(problems).toMatch(/files\.\/etc\/\.\.\/\.\.\/escape.*"\.\."/);
    expect(problems).toMatch(/bogus/);
    expect(existsSync(dir)).toBe(false);
  });

  it('reports cross-field problems once every field is well formed', async () => {
    const bad = {
      format: 'gpu-ferry-host/1',
      iommu: { enabled: true },
      pci: [
        {
          address: '0000:0a:00.0',
          class: '0x030000',
          vendor: '0x10de',
          device: '0x2206',
          drm: { card: 'card0' },
        },
        {
          address: '0000:0b:00.0',
          class: '0x030000',
          vendor: '0x10de',
          device: '0x2206',
          iommuGroup: 3,
          physfn: '0000:99:00.0',
          drm: { card: 'card0' },
        },
        { address: '0000:0b:00.0', class: '0x040300', vendor: '0x10de', device: '0x1aef', iommuGroup: 3 },
      ],
    };
    const error = (await materializeHostSpec(bad).catch((e: unknown) => e)) as HostSpecError;
    expect(error).toBeInstanceOf(HostSpecError);
    expect(error.problems).toEqual(
      expect.arrayContaining([
        'pci[0].iommuGroup: required when iommu.enabled is true',
        'pci[1].physfn: no pci entry has address 0000:99:00.0',
        'pci[2].address: duplicate address 0000:0b:00.0 (also pci[1])',
        'pci[1].drm.card: card0 is already used by pci[0]',
      ]),
    );
  });

  it('lays devices out under their bridges with links written as the kernel writes them', async () => {
    const root = await make(JSON.parse(readFileSync(fixture('intel-arc-a750-desktop'), 'utf8')));
    const at = (p: string) => path.join(root, p);
    const gpuDir = '/sys/devices/pci0000:00/0000:00:01.0/0000:03:00.0/0000:04:01.0/0000:05:00.0';
    expect(lstatSync(at(gpuDir)).isDirectory()).toBe(true);
    expect(readlinkSync(at('/sys/bus/pci/devices/0000:05:00.0'))).toBe(`../../..${gpuDir.slice(4)}`);
    expect(readlinkSync(at(`${gpuDir}/driver`))).toBe('../../../../../../bus/pci/drivers/i915');
    expect(readlinkSync(at(`${gpuDir}/iommu_group`))).toBe('../../../../../../kernel/iommu_groups/1');
    expect(readlinkSync(at('/sys/bus/pci/drivers/i915/0000:05:00.0'))).toBe(`../../../..${gpuDir.slice(4)}`);
    // The DRM card lives in the GPU's own drm/ folder; its device link climbs to the GPU by name.
    expect(readlinkSync(at('/sys/class/drm/card0'))).toBe(`../..${gpuDir.slice(4)}/drm/card0`);
    expect(readlinkSync(at(`${gpuDir}/drm/card0/device`))).toBe('../../../0000:05:00.0');
    expect(readlinkSync(at('/sys/class/drm/card0-DP-2'))).toBe(
      `../..${gpuDir.slice(4)}/drm/card0/card0-DP-2`,
    );
    expect(readlinkSync(at(`${gpuDir}/drm/card0/card0-DP-2/device`))).toBe('../../card0');
    expect(readFileSync(at('/sys/class/drm/card0-DP-2/status'), 'utf8')).toBe('disconnected\n');
    // A device on the root bus sits directly under the root complex.
    expect(readlinkSync(at('/sys/bus/pci/devices/0000:00:02.0'))).toBe(
      '../../../devices/pci0000:00/0000:00:02.0',
    );
  });

  it('rejects a parent that is missing, not a bridge, or loops', async () => {
    const bridge = (address: string, parent?: string) => ({
      address,
      class: '0x060400',
      vendor: '0x8086',
      device: '0x4fa1',
      ...(parent ? { parent } : {}),
    });
    const bad = {
      format: 'gpu-ferry-host/1',
      pci: [
        {
          address: '0000:05:00.0',
          class: '0x030000',
          vendor: '0x8086',
          device: '0x56a1',
          parent: '0000:09:00.0',
        },
        {
          address: '0000:06:00.0',
          class: '0x040300',
          vendor: '0x8086',
          device: '0x4f90',
          parent: '0000:05:00.0',
        },
        bridge('0000:03:00.0', '0000:04:01.0'),
        bridge('0000:04:01.0', '0000:03:00.0'),
      ],
    };
    const error = (await materializeHostSpec(bad).catch((e: unknown) => e)) as HostSpecError;
    expect(error).toBeInstanceOf(HostSpecError);
    expect(error.problems).toEqual([
      'pci[0].parent: no pci entry has address 0000:09:00.0',
      'pci[1].parent: 0000:05:00.0 is not a bridge (class 0x030000; a parent has class 0x0604xx or 0x0609xx)',
      'pci[2].parent: the parent chain of 0000:03:00.0 loops',
      'pci[3].parent: the parent chain of 0000:04:01.0 loops',
    ]);
  });

  it('rejects a spec of another format and a non-empty target directory', async () => {
    await expect(materializeHostSpec({ format: 'gpu-ferry-host/2' })).rejects.toThrow(/format: /);
    const dir = tempDir('gf-full-');
    await materializeHostSpec({ format: 'gpu-ferry-host/1', files: { '/a': 'a' } }, dir);
    await expect(materializeHostSpec({ format: 'gpu-ferry-host/1' }, dir)).rejects.toThrow(/not empty/);
    expect(readFileSync(path.join(dir, 'a'), 'utf8')).toBe('a');
  });
});

describe('materializeSnapshot', () => {
  it('writes files, empty directories and verbatim links; bin paths executable', async () => {
    const m = await materializeSnapshot({
      format: 'gpu-ferry-snapshot/1',
      files: { '/proc/cmdline': 'quiet\n', '/usr/bin/virsh': '' },
      symlinks: { '/sys/bus/pci/devices/0000:00:02.0/driver': '../../../bus/pci/drivers/i915' },
      dirs: ['/sys/kernel/iommu_groups'],
    });
    roots.push(m);
    expect(readFileSync(path.join(m.root, 'proc/cmdline'), 'utf8')).toBe('quiet\n');
    expect(lstatSync(path.join(m.root, 'sys/kernel/iommu_groups')).isDirectory()).toBe(true);
    expect(readlinkSync(path.join(m.root, 'sys/bus/pci/devices/0000:00:02.0/driver'))).toBe(
      '../../../bus/pci/drivers/i915',
    );
    expect(statSync(path.join(m.root, 'usr/bin/virsh')).mode & 0o111).not.toBe(0);
    await expect(materializeSnapshot({ format: 'gpu-ferry-snapshot/1', files: { x: '' } })).rejects.toThrow(
      /files\.x: bad path: must be an absolute path/,
    );
  });
});
