import { describe, expect, it } from 'vitest';
import { gpuName, gpuRoles, isIntegrated } from '../../../shared/analyze/gpus';
import { connected, disconnected, model, pci } from './model-builder';

describe('GPU roles', () => {
  it('tells integrated from discrete GPUs', () => {
    expect(isIntegrated(pci('0000:00:02.0', '030000', '8086', '4680'))).toBe(true);
    expect(isIntegrated(pci('0000:03:00.0', '030000', '8086', '56a0'))).toBe(false); // Arc A770 on its own bus
    expect(isIntegrated(pci('0000:0b:00.0', '030000', '1002', '1638'))).toBe(true); // Cezanne by id
    expect(isIntegrated(pci('0000:0c:00.0', '030000', '1002', 'ffff', { deviceName: 'Phoenix1' }))).toBe(
      true,
    );
    expect(isIntegrated(pci('0000:0c:00.0', '030000', '1002', '73bf'))).toBe(false);
    expect(isIntegrated(pci('0000:01:00.0', '030000', '10de', '2206'))).toBe(false);
  });

  it('puts the GPU with a connected monitor first, whatever boot_vga says', () => {
    const igpu = pci('0000:00:02.0', '030000', '8086', '4680', { bootVga: true, drm: disconnected('card0') });
    const dgpu = pci('0000:01:00.0', '030000', '10de', '2206', { drm: connected('card1') });
    const roles = gpuRoles(model([igpu, dgpu]));
    expect(roles.map((r) => [r.device.address, r.drivesHostDisplay])).toEqual([
      ['0000:01:00.0', true],
      ['0000:00:02.0', false],
    ]);
  });

  it('falls back to boot_vga when no GPU reports a connected connector', () => {
    const a = pci('0000:01:00.0', '030000', '10de', '2206', { bootVga: true });
    const b = pci('0000:02:00.0', '030000', '10de', '2206');
    expect(gpuRoles(model([b, a])).map((r) => [r.device.address, r.drivesHostDisplay])).toEqual([
      ['0000:01:00.0', true],
      ['0000:02:00.0', false],
    ]);
  });

  it('marks 3D controllers as having no display outputs and names devices without pci.ids', () => {
    const [role] = gpuRoles(model([pci('0000:01:00.0', '030200', '10de', '2520')]));
    expect(role?.displayOutputs).toBe(false);
    expect(gpuName(pci('0000:01:00.0', '030000', '10de', '2786', { vendorName: 'NVIDIA Corporation' }))).toBe(
      'NVIDIA Corporation device 2786',
    );
    expect(gpuName(pci('0000:01:00.0', '030000', '1234', '5678'))).toBe('vendor 1234 device 5678');
  });
});
