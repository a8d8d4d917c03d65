import { describe, expect, it } from 'vitest';
import { gpuName, gpuRoles } from '../../../shared/analyze/gpus';
import { integratedVerdict } from '../../../shared/analyze/integrated';
import type { PciDevice } from '../../../shared/host/model';
import { connected, disconnected, model, pci } from './model-builder';

describe('GPU roles', () => {
  const verdict = (d: PciDevice, others: PciDevice[] = []) => integratedVerdict(model([d, ...others]), d);
  const integrated = (d: PciDevice, others: PciDevice[] = []) => verdict(d, others).integrated;

  it('tells integrated from discrete GPUs by where they sit and what shares their slot', () => {
    expect(integrated(pci('0000:00:02.0', '030000', '8086', '4680'))).toBe(true);
    expect(integrated(pci('0000:03:00.0', '030000', '8086', '56a0'))).toBe(false); // Arc A770 on its own bus
    expect(integrated(pci('0000:01:00.0', '030000', '10de', '2206'))).toBe(false);
    // A new APU no list knows: the processor's security processor and USB share its slot.
    const apu = pci('0000:c4:00.0', '038000', '1002', '1234', { bridges: ['0000:00:08.1'] });
    const psp = pci('0000:c4:00.2', '108000', '1022', '15c7', { bridges: ['0000:00:08.1'] });
    expect(verdict(apu, [psp])).toEqual({
      integrated: true,
      because: "its slot also holds the processor's 0000:c4:00.2 (vendor 1022)",
    });
    // A card's HDMI audio function with another vendor id (QEMU's bochs-display + ich9-intel-hda) is no APU sign.
    const bochs = pci('0000:01:00.0', '038000', '1234', '1111', { bridges: ['0000:00:1c.0'] });
    const hda = pci('0000:01:00.1', '040300', '8086', '293e', { bridges: ['0000:00:1c.0'] });
    expect(verdict(bochs, [hda]).integrated).toBe(false);
    // The same class alone, or a built-in panel, directly behind a root port.
    expect(integrated(apu)).toBe(true);
    const panel = pci('0000:05:00.0', '030000', '1002', '1234', {
      bridges: ['0000:00:08.1'],
      drm: { card: 'card0', connectors: { 'eDP-1': 'connected' } },
    });
    expect(verdict(panel).because).toMatch(/built-in panel/);
    // A discrete Radeon behind its own AMD switch stays discrete whatever the id says.
    const sw = [
      pci('0000:00:01.1', '060400', '1022', '14db'),
      pci('0000:01:00.0', '060400', '1002', '1478', { bridges: ['0000:00:01.1'] }),
      pci('0000:02:00.0', '060400', '1002', '1479', { bridges: ['0000:00:01.1', '0000:01:00.0'] }),
    ];
    const navi = pci('0000:03:00.0', '030000', '1002', '1638', {
      bridges: ['0000:00:01.1', '0000:01:00.0', '0000:02:00.0'],
    });
    expect(verdict(navi, sw).integrated).toBe(false);
    // Ids and names only break the tie.
    expect(integrated(pci('0000:0b:00.0', '030000', '1002', '1638'))).toBe(true); // Cezanne by id
    expect(integrated(pci('0000:0c:00.0', '030000', '1002', 'ffff', { deviceName: 'Phoenix1' }))).toBe(true);
    expect(integrated(pci('0000:0c:00.0', '030000', '1002', '73bf'))).toBe(false);
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
