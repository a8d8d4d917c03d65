import { describe, expect, it } from 'vitest';
import { buildDoctorReport } from '../../../shared/analyze/doctor';
import { formatDoctor, type Paint } from '../../../shared/analyze/format-doctor';
import { iommuState } from '../../../shared/analyze/iommu-state';
import { connected, disconnected, model, pci } from './model-builder';

const nvidia = (bus: string, group: number, extra = {}) => [
  pci(`0000:${bus}:00.0`, '030000', '10de', '2206', { iommuGroup: group, driver: 'nvidia', ...extra }),
  pci(`0000:${bus}:00.1`, '040300', '10de', '1aef', { iommuGroup: group }),
];

describe('iommuState', () => {
  it('distinguishes on, off in the kernel, off in firmware and unknown', () => {
    const on = model(nvidia('01', 1));
    expect(iommuState(on)).toBe('on');
    const noGroups = { ...on.iommu, units: [], groups: {} };
    expect(iommuState({ ...on, iommu: noGroups })).toBe('off-in-kernel');
    expect(iommuState({ ...on, iommu: { ...noGroups, firmwareTable: null } })).toBe('off-in-firmware');
    expect(
      iommuState({
        ...on,
        iommu: { ...noGroups, firmwareTable: null },
        firmware: { efi: false, acpiTables: [] },
      }),
    ).toBe('unknown');
  });
});

describe('buildDoctorReport', () => {
  it('recommends single-gpu when the only passable GPU drives the display', () => {
    const r = buildDoctorReport(model(nvidia('01', 1, { drm: connected('card0') })));
    expect(r.recommendation).toMatchObject({ mode: 'single-gpu', gpu: '0000:01:00.0' });
    expect(r.checks.find((c) => c.id === 'display-manager')?.status).toBe('pass');
  });

  it('prefers passing the GPU that does not drive the display', () => {
    const igpu = pci('0000:00:02.0', '030000', '8086', '4680', {
      iommuGroup: 0,
      bootVga: true,
      drm: connected('card0'),
    });
    const r = buildDoctorReport(model([igpu, ...nvidia('01', 1, { drm: disconnected('card1') })]));
    expect(r.recommendation).toMatchObject({ mode: 'dual-gpu', gpu: '0000:01:00.0' });
    expect(r.gpus.map((g) => [g.address, g.integrated, g.drivesHostDisplay])).toEqual([
      ['0000:00:02.0', true, true],
      ['0000:01:00.0', false, false],
    ]);
  });

  it('asks to move the monitor when the only passable GPU drives the display but an iGPU could take over', () => {
    const igpu = pci('0000:00:02.0', '030000', '8086', '4680', { iommuGroup: 0, drm: disconnected('card0') });
    const r = buildDoctorReport(model([igpu, ...nvidia('01', 1, { drm: connected('card1') })]));
    expect(r.recommendation.mode).toBe('dual-gpu');
    expect(r.recommendation.reasons.join(' ')).toMatch(/connect the host's monitor to it/);
  });

  it('says none, with reasons, when virtualization or isolation is missing', () => {
    const noVirt = model(nvidia('01', 1));
    noVirt.cpu = { ...noVirt.cpu, flags: [], virtualization: false };
    const r1 = buildDoctorReport(noVirt);
    expect(r1.recommendation).toMatchObject({ mode: 'none', gpu: null });
    expect(r1.checks.find((c) => c.id === 'cpu-virtualization')).toMatchObject({
      status: 'fail',
      fix: expect.stringContaining('VT-x'),
    });
    const shared = model([
      ...nvidia('01', 1),
      pci('0000:02:00.0', '0c0330', '1022', '43d5', { iommuGroup: 1 }),
    ]);
    const r2 = buildDoctorReport(shared);
    expect(r2.recommendation.mode).toBe('none');
    expect(r2.recommendation.reasons[0]).toMatch(/shares IOMMU group 1 with 0000:02:00.0/);
  });

  it('gives every warn and fail a fix, with distribution-specific install commands', () => {
    const m = model(nvidia('01', 1), {
      os: { id: 'fedora', idLike: [], name: 'Fedora', versionId: '41', variantId: null },
      libvirt: {
        virsh: false,
        libvirtd: false,
        version: null,
        hooksDir: '/etc/libvirt/hooks',
        hooksDirExists: false,
        qemuDispatcher: false,
        qemuConf: null,
      },
      bootloader: { kind: 'unknown', evidence: [], espPath: null, uki: false },
      initramfs: 'none',
      users: [{ name: 'u', uid: 1000, groups: [] }],
      kernel: { release: '6.12.0', cmdline: '', params: {}, modules: [], builtin: [], available: ['nvidia'] },
    });
    const r = buildDoctorReport(m);
    const bad = r.checks.filter((c) => c.status !== 'pass');
    expect(bad.map((c) => c.id).sort()).toEqual([
      'bootloader',
      'initramfs',
      'libvirt',
      'user-groups',
      'vfio-pci',
    ]);
    for (const c of bad) expect(c.fix).toBeTruthy();
    expect(r.checks.find((c) => c.id === 'libvirt')?.fix).toContain('dnf install');
    expect(r.checks.find((c) => c.id === 'user-groups')?.fix).toBe(
      'sudo usermod -aG kvm,libvirt u, then log out and in again.',
    );
  });

  it('accepts vfio-pci built into the kernel', () => {
    const m = model(nvidia('01', 1), {
      kernel: {
        release: '6.8.0',
        cmdline: '',
        params: {},
        modules: [],
        builtin: ['vfio_pci'],
        available: [],
      },
    });
    expect(buildDoctorReport(m).checks.find((c) => c.id === 'vfio-pci')).toMatchObject({
      status: 'pass',
      message: expect.stringContaining('built into the kernel'),
    });
  });

  it('renders a readable report, painting only through the given colours', () => {
    const r = buildDoctorReport(model(nvidia('01', 1, { drm: connected('card0') })));
    const plain = formatDoctor(r);
    expect(plain).toContain('Recommended mode: single GPU');
    expect(plain).toContain('0000:01:00.0');
    const tag = (name: string) => (s: string) => `<${name}>${s}</${name}>`;
    const paint: Paint = { green: tag('g'), yellow: tag('y'), red: tag('r'), bold: tag('b'), dim: tag('d') };
    expect(formatDoctor(r, paint)).toContain('<g>✔ pass</g>');
  });
});
