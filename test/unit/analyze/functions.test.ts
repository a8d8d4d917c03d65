import { describe, expect, it } from 'vitest';
import { gpuFunctions } from '../../../shared/analyze/functions';
import { model, pci } from './model-builder';

describe('gpuFunctions', () => {
  const gpu = pci('0000:03:00.0', '030000', '1002', '73bf', { iommuGroup: 5 });
  const audio = pci('0000:03:00.1', '040300', '1002', 'ab28', { iommuGroup: 5 });

  it('takes every function of the slot and ignores bridges in the group', () => {
    const m = model([
      pci('0000:01:00.0', '060400', '1002', '1478', { iommuGroup: 5 }),
      pci('0000:00:00.0', '060000', '8086', '4660', { iommuGroup: 5 }),
      gpu,
      audio,
    ]);
    expect(gpuFunctions(m, gpu, true)).toEqual({
      functions: ['0000:03:00.0', '0000:03:00.1'],
      isolation: 'isolated',
      groupPeers: [],
    });
  });

  it('is shared when the group holds other endpoints (an ISA bridge is an endpoint): peers, not functions', () => {
    const m = model([
      gpu,
      audio,
      pci('0000:00:1f.0', '060100', '8086', '7a84', { iommuGroup: 5 }),
      pci('0000:05:00.0', '020000', '10ec', '8168', { iommuGroup: 5 }),
    ]);
    expect(gpuFunctions(m, gpu, true)).toEqual({
      functions: ['0000:03:00.0', '0000:03:00.1'],
      isolation: 'shared',
      groupPeers: ['0000:00:1f.0', '0000:05:00.0'],
    });
  });

  it('includes a slot function that sits in another group', () => {
    const m = model([gpu, pci('0000:03:00.1', '040300', '1002', 'ab28', { iommuGroup: 6 })]);
    expect(gpuFunctions(m, gpu, true).functions).toEqual(['0000:03:00.0', '0000:03:00.1']);
  });

  it('is unknown with the IOMMU off, still listing the slot', () => {
    expect(gpuFunctions(model([gpu, audio]), gpu, false)).toEqual({
      functions: ['0000:03:00.0', '0000:03:00.1'],
      isolation: 'unknown',
      groupPeers: [],
    });
  });

  it('keeps SR-IOV virtual functions out of their physical function and vice versa', () => {
    const pf = pci('0000:00:02.0', '030000', '8086', '4680', { iommuGroup: 0, virtfns: ['0000:00:02.1'] });
    const vf = pci('0000:00:02.1', '030000', '8086', '4680', { iommuGroup: 20, physfn: '0000:00:02.0' });
    const m = model([pf, vf]);
    expect(gpuFunctions(m, pf, true).functions).toEqual(['0000:00:02.0']);
    expect(gpuFunctions(m, vf, true)).toEqual({
      functions: ['0000:00:02.1'],
      isolation: 'isolated',
      groupPeers: [],
    });
  });
});
