import { describe, expect, it } from 'vitest';
import { buildDoctorReport } from '../../../shared/analyze/doctor';
import type { PciDevice } from '../../../shared/host/model';
import { attachGpu } from '../../../shared/vm/gpu-hostdev';
import { defaultNewVmOptions, newVmXml } from '../../../shared/vm/new-vm-xml';
import { evaluatePreflight, preflightPasses, vmMode, type PreflightFacts } from '../../../shared/vm/preflight';
import { testHost } from './host-model';

const dev = (address: string, classCode: string, driver: string | null, group: number, extra: Partial<PciDevice> = {}): PciDevice => ({
  address, classCode, vendorId: '10de', deviceId: '2206', subsystemVendorId: null, subsystemDeviceId: null, vendorName: null,
  deviceName: null, driver, driverOverride: null, iommuGroup: group, bootVga: null, resetMethods: [], drm: null,
  sriovTotalVfs: null, sriovNumVfs: null, sriovOffset: null, sriovStride: null, physfn: null, virtfns: [], bridges: [], ...extra,
});

function host(bootVga: boolean, peers: PciDevice[] = []) {
  const pci = [
    dev('0000:0a:00.0', '030000', 'nvidia', 27, { bootVga }),
    dev('0000:0a:00.1', '040300', 'snd_hda_intel', 27),
    dev('0000:00:03.1', '060400', 'pcieport', 27),
    ...peers,
  ];
  const groups: Record<number, string[]> = {};
  for (const d of pci) if (d.iommuGroup !== null) groups[d.iommuGroup] = [...(groups[d.iommuGroup] ?? []), d.address];
  return testHost('amd', 8, 2, { pci, iommu: { units: ['ivhd0'], groups, firmwareTable: 'IVRS' } });
}

const hookOk = [{ path: '/etc/libvirt/hooks/qemu.d/gpu-ferry', expected: 'aa', installed: 'aa' }];

function facts(over: Partial<PreflightFacts> & { host: PreflightFacts['host'] }): PreflightFacts {
  const input = { usb: [{ vendorId: '046d', productId: 'c52b' }], evdevKeyboard: null, evdevMouse: null, grabToggle: 'ctrl-ctrl' as const };
  const xml = newVmXml(over.host, { ...defaultNewVmOptions('win11'), gpuFunctions: ['0000:0a:00.0', '0000:0a:00.1'], input, display: 'none' }).xml;
  return { xml, handoffFiles: hookOk, firmwareDescriptors: ['60-edk2-x86_64.json'], existingPaths: [], swtpm: true, holders: [], ...over };
}

const byId = (items: ReturnType<typeof evaluatePreflight>, id: string) => items.filter((i) => i.id === id || i.id.startsWith(`${id}:`));

describe('evaluatePreflight', () => {
  it('passes on a complete, ready single-GPU setup', () => {
    const items = evaluatePreflight(facts({ host: host(true) }));
    expect(items.filter((i) => i.status !== 'pass')).toEqual([]);
    expect(preflightPasses(items)).toBe(true);
    expect(byId(items, 'iommu-group')[0]?.message).toMatch(/group 27 is complete/);
    expect(byId(items, 'gpu-holders')).toEqual([]);
  });

  it('warns when a VM that takes the only GPU has no keyboard or mouse of its own; SPICE is enough with two GPUs', () => {
    const bare = newVmXml(host(true), { ...defaultNewVmOptions('win11'), gpuFunctions: ['0000:0a:00.0', '0000:0a:00.1'], display: 'none' }).xml;
    const single = byId(evaluatePreflight(facts({ host: host(true), xml: bare })), 'input')[0];
    expect(single).toMatchObject({ status: 'warn', message: expect.stringMatching(/no keyboard or mouse/) });
    const spice = newVmXml(host(false), { ...defaultNewVmOptions('win11'), gpuFunctions: ['0000:0a:00.0', '0000:0a:00.1'], display: 'spice' }).xml;
    expect(byId(evaluatePreflight(facts({ host: host(false), xml: spice })), 'input')[0]?.status).toBe('pass');
  });

  it('fails on an IOMMU group peer left with the host, naming it and its driver', () => {
    const items = evaluatePreflight(facts({ host: host(true, [dev('0000:0b:00.0', '010802', 'nvme', 27)]) }));
    const group = byId(items, 'iommu-group')[0];
    expect(group?.status).toBe('fail');
    expect(group?.message).toContain('0000:0b:00.0 (nvme)');
    expect(group?.fix).toBeTruthy();
  });

  it('fails when the hook is missing or outdated', () => {
    const missing = evaluatePreflight(facts({ host: host(true), handoffFiles: [{ path: '/h', expected: 'aa', installed: null }] }));
    expect(byId(missing, 'handoff-file')[0]).toMatchObject({ status: 'fail', message: expect.stringMatching(/not installed/) });
    const old = evaluatePreflight(facts({ host: host(true), handoffFiles: [{ path: '/h', expected: 'aa', installed: 'bb' }] }));
    expect(byId(old, 'handoff-file')[0]?.message).toMatch(/differs/);
  });

  it('fails without firmware descriptors or swtpm', () => {
    const items = evaluatePreflight(facts({ host: host(true), firmwareDescriptors: [], swtpm: false }));
    expect(byId(items, 'firmware')[0]?.status).toBe('fail');
    expect(byId(items, 'tpm')[0]?.status).toBe('fail');
  });

  it('checks an explicit loader path', () => {
    const xml = "<domain><memory unit='GiB'>4</memory><os><loader readonly='yes' type='pflash'>/usr/share/OVMF/OVMF_CODE.fd</loader></os><devices/></domain>";
    const h = host(true);
    expect(byId(evaluatePreflight(facts({ host: h, xml })), 'firmware')[0]?.status).toBe('fail');
    expect(byId(evaluatePreflight(facts({ host: h, xml, existingPaths: ['/usr/share/OVMF/OVMF_CODE.fd'] })), 'firmware')[0]?.status).toBe('pass');
  });

  it('compares memory with what is available, and hugepages with free hugepages', () => {
    const h = host(true);
    h.memory = { ...h.memory, MemAvailable: 8 * 1024 * 1024 };
    expect(byId(evaluatePreflight(facts({ host: h })), 'memory')[0]).toMatchObject({ status: 'fail', message: expect.stringMatching(/16\.0 GiB.*8\.0 GiB/) });
    const xml = newVmXml(h, { ...defaultNewVmOptions('w'), hugepages: true, memoryMiB: 4096 }).xml;
    h.memory = { ...h.memory, HugePages_Free: 1024, Hugepagesize: 2048 };
    expect(byId(evaluatePreflight(facts({ host: h, xml })), 'memory')[0]?.status).toBe('fail');
    h.memory = { ...h.memory, HugePages_Free: 2048 };
    expect(byId(evaluatePreflight(facts({ host: h, xml })), 'memory')[0]?.status).toBe('pass');
  });

  it('in dual-GPU mode names the processes holding the GPU', () => {
    const items = evaluatePreflight(
      facts({
        host: host(false),
        holders: [
          { pid: 1234, name: 'firefox', device: '/dev/dri/renderD129' },
          { pid: 1234, name: 'firefox', device: '/dev/dri/card1' },
          { pid: 99, name: 'nvidia-persistenced', device: '/dev/nvidia0' },
        ],
      }),
    );
    const holders = byId(items, 'gpu-holders')[0];
    expect(holders?.status).toBe('fail');
    expect(holders?.message).toContain('firefox (PID 1234): /dev/dri/renderD129, /dev/dri/card1');
    expect(holders?.message).toContain('nvidia-persistenced (PID 99)');
  });

  it('tells the modes apart', () => {
    const xml = attachGpu("<domain><devices>\n</devices></domain>", { functions: ['0000:0a:00.0'] });
    expect(vmMode(host(true), xml)).toBe('single-gpu');
    expect(vmMode(host(false), xml)).toBe('dual-gpu');
    expect(vmMode(host(false), '<domain><devices/></domain>')).toBeNull();
  });

  it('judges the screen as the doctor does: on a hybrid machine the boot VGA GPU without a connected monitor is dual-gpu', () => {
    // The desktop is on the iGPU's monitor; the dGPU was the firmware's boot VGA. The wizard reads the
    // doctor's drivesHostDisplay (false for the dGPU) and offers SPICE; vm check and the new VM must agree.
    const igpu = dev('0000:00:02.0', '030000', 'i915', 2, { vendorId: '8086', drm: { card: 'card0', connectors: { 'card0-HDMI-A-1': 'connected' } } });
    const hybrid = host(true, [igpu]);
    const xml = attachGpu('<domain><devices>\n</devices></domain>', { functions: ['0000:0a:00.0'] });
    expect(buildDoctorReport(hybrid).gpus.find((g) => g.address === '0000:0a:00.0')?.drivesHostDisplay).toBe(false);
    expect(vmMode(hybrid, xml)).toBe('dual-gpu');
    expect(vmMode(hybrid, attachGpu('<domain><devices>\n</devices></domain>', { functions: ['0000:00:02.0'] }))).toBe('single-gpu');
  });
});
