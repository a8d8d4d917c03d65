// Picks the three kinds of machine the e2e tier walks, by what the fixture describes (not by file
// name, so new fixtures are found): one NVIDIA GPU only; an integrated plus a discrete GPU; and an
// IOMMU that is broken (off in firmware: no DMAR/IVRS table).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from './serve-process';

interface Spec {
  format?: string;
  name?: string;
  iommu?: { enabled?: boolean };
  firmware?: { acpiTables?: string[] };
  pci?: { address: string; class: string; vendor: string }[];
}

export const fixtureDir = path.join(projectRoot, 'test/fixtures/hosts');

const specs = (): { file: string; spec: Spec }[] =>
  readdirSync(fixtureDir)
    .filter((f) => f.endsWith('.host.json'))
    .sort()
    .map((f) => ({ file: path.join(fixtureDir, f), spec: JSON.parse(readFileSync(path.join(fixtureDir, f), 'utf8')) as Spec }))
    .filter((s) => s.spec.format === 'gpu-ferry-host/1');

const gpus = (s: Spec) => (s.pci ?? []).filter((p) => /^0x03/.test(p.class));
const iommuFirmware = (s: Spec) => (s.firmware?.acpiTables ?? []).some((t) => t === 'DMAR' || t === 'IVRS');

const kinds = {
  'single-nvidia': { preferred: 'nvidia-only-desktop.host.json', what: 'a single NVIDIA GPU machine', test: (s: Spec) => gpus(s).length === 1 && gpus(s)[0]?.vendor === '0x10de' && iommuFirmware(s) },
  'igpu-dgpu': {
    preferred: 'intel-igpu-nvidia.host.json',
    what: 'an iGPU + dGPU machine',
    test: (s: Spec) => {
      const g = gpus(s);
      return g.length === 2 && g.some((p) => p.address.startsWith('0000:00:')) && g.some((p) => !p.address.startsWith('0000:00:')) && iommuFirmware(s);
    },
  },
  'broken-iommu': { preferred: 'iommu-off-firmware.host.json', what: 'a machine with the IOMMU off in firmware', test: (s: Spec) => gpus(s).length > 0 && !iommuFirmware(s) },
} as const;

export type FixtureKind = keyof typeof kinds;

/** The preferred fixture of each kind (checked to really be of that kind), else the first that is. */
export const pickFixtures = (): Record<FixtureKind, string> => {
  const all = specs();
  const pick = (kind: FixtureKind) => {
    const { preferred, what, test } = kinds[kind];
    const hit = all.find((s) => path.basename(s.file) === preferred && test(s.spec)) ?? all.find((s) => test(s.spec));
    if (!hit) throw new Error(`No fixture host in ${fixtureDir} is ${what}; the e2e tier needs one.`);
    return hit.file;
  };
  return { 'single-nvidia': pick('single-nvidia'), 'igpu-dgpu': pick('igpu-dgpu'), 'broken-iommu': pick('broken-iommu') };
};
