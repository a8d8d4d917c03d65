// Names from pci.ids under the scanned root, found without parsing the whole file.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { removeTempDirs, tempDir } from './cli-helpers';
import { afterAll, describe, expect, it } from 'vitest';
import { PciIds, pciIdsFor } from '../../../electron/host/pci-ids';

afterAll(removeTempDirs);

const SAMPLE = `#
#\tList of PCI ID's
#
1002  Advanced Micro Devices, Inc. [AMD/ATI]
\t73bf  Navi 21 [Radeon RX 6800/6800 XT / 6900 XT]
\t\t1002 0e3a  Radeon RX 6900 XT
# a comment inside the vendor block
\t744c  Navi 31 [Radeon RX 7900 XT/7900 XTX]
10de  NVIDIA Corporation
\t2206  GA102 [GeForce RTX 3080]
\t73bf  not an AMD device
C 03  Display controller
\t00  VGA compatible controller
`;

describe('PciIds', () => {
  const ids = new PciIds('sample', '\n' + SAMPLE);
  it('finds vendors and devices, including after a comment inside a block', () => {
    expect(ids.vendorName('1002')).toBe('Advanced Micro Devices, Inc. [AMD/ATI]');
    expect(ids.deviceName('1002', '73bf')).toBe('Navi 21 [Radeon RX 6800/6800 XT / 6900 XT]');
    expect(ids.deviceName('1002', '744c')).toBe('Navi 31 [Radeon RX 7900 XT/7900 XTX]');
    expect(ids.deviceName('10de', '73bf')).toBe('not an AMD device');
  });
  it('returns null for unknown ids and never reads subsystem or class lines as devices', () => {
    expect(ids.vendorName('abcd')).toBeNull();
    expect(ids.deviceName('1002', '0e3a')).toBeNull();
    expect(ids.deviceName('10de', '0000')).toBeNull();
    expect(ids.vendorName('03')).toBeNull();
  });
  it('prefers the pci.ids under the scanned root', () => {
    const root = tempDir('gf-ids-');
    mkdirSync(path.join(root, 'usr/share/misc'), { recursive: true });
    writeFileSync(
      path.join(root, 'usr/share/misc/pci.ids'),
      SAMPLE.replace('GA102 [GeForce RTX 3080]', 'from the root'),
    );
    expect(pciIdsFor(root).deviceName('10de', '2206')).toBe('from the root');
  });
});
