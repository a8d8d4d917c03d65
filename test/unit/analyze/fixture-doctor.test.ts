// `gpu-ferry doctor --host <fixture> --json` through the real built CLI: mode, GPU roles, functions and
// isolation for every fixture host, and the same report through --root on the materialized tree.
import { beforeAll, describe, expect, it } from 'vitest';
import type { DoctorReport } from '../../../shared/analyze/report';
import { existsSync, readFileSync, readdirSync, readlinkSync } from 'node:fs';
import path from 'node:path';
import { materializeHostSpec } from '../../../electron/host/materialize';
import { buildCli, fixture, fixturesDir, runCli } from '../host/cli-helpers';

interface GpuExpect {
  address: string;
  integrated: boolean;
  drivesHostDisplay: boolean;
  functions: string[];
  isolation: 'isolated' | 'shared' | 'unknown';
  groupPeers?: string[];
  identicalIdsWith?: string[];
  displayOutputs?: boolean;
}

interface FixtureExpect {
  iommu: DoctorReport['iommu']['state'];
  mode: DoctorReport['recommendation']['mode'];
  gpu: string | null;
  cpu: 'intel' | 'amd';
  gpus: GpuExpect[];
  /** Check ids that must be warn or fail. */
  problems: string[];
  /** What the recommendation's reasons must say. */
  reasons?: RegExp;
}

/** Functions 0..n-1 of a slot: `fns('0000:0a:00', 2)` → 0000:0a:00.0, 0000:0a:00.1. */
const fns = (slot: string, n: number) => Array.from({ length: n }, (_, f) => `${slot}.${f}`);

/** An integrated GPU (or one of its virtual functions): one function alone in a clean group. */
const igpu = (address: string, drivesHostDisplay: boolean, more: Partial<GpuExpect> = {}): GpuExpect => ({
  address,
  integrated: true,
  drivesHostDisplay,
  functions: [address],
  isolation: 'isolated',
  ...more,
});

/** A discrete card with these functions, in a clean group unless `more` says otherwise. */
const card = (
  address: string,
  drivesHostDisplay: boolean,
  functions: string[],
  more: Partial<GpuExpect> = {},
): GpuExpect => ({
  address,
  integrated: false,
  drivesHostDisplay,
  functions,
  isolation: 'isolated',
  ...more,
});

const EXPECT: Record<string, FixtureExpect> = {
  'nvidia-only-desktop': {
    iommu: 'on',
    mode: 'single-gpu',
    gpu: '0000:0a:00.0',
    cpu: 'amd',
    problems: [],
    gpus: [card('0000:0a:00.0', true, fns('0000:0a:00', 2), { groupPeers: [] })],
  },
  'amd-navi21-desktop': {
    iommu: 'on',
    mode: 'single-gpu',
    gpu: '0000:0e:00.0',
    cpu: 'amd',
    problems: [],
    gpus: [card('0000:0e:00.0', true, fns('0000:0e:00', 4), { groupPeers: [] })],
  },
  'intel-igpu-nvidia': {
    iommu: 'on',
    mode: 'dual-gpu',
    gpu: '0000:01:00.0',
    cpu: 'intel',
    problems: [],
    gpus: [igpu('0000:00:02.0', true), card('0000:01:00.0', false, fns('0000:01:00', 2))],
  },
  'amd-apu-amd-dgpu': {
    iommu: 'on',
    mode: 'dual-gpu',
    gpu: '0000:03:00.0',
    cpu: 'amd',
    problems: ['looking-glass'],
    gpus: [
      igpu('0000:0b:00.0', true, { functions: fns('0000:0b:00', 2) }),
      card('0000:03:00.0', false, fns('0000:03:00', 2)),
    ],
  },
  'two-identical-gpus': {
    iommu: 'on',
    mode: 'dual-gpu',
    gpu: '0000:21:00.0',
    cpu: 'amd',
    problems: ['identical-ids:0000:21:00.0', 'identical-ids:0000:4a:00.0', 'looking-glass'],
    gpus: [
      card('0000:4a:00.0', true, fns('0000:4a:00', 4), { identicalIdsWith: ['0000:21:00.0'] }),
      card('0000:21:00.0', false, fns('0000:21:00', 4), { identicalIdsWith: ['0000:4a:00.0'] }),
    ],
  },
  'gpu-shared-group': {
    iommu: 'on',
    mode: 'none',
    gpu: null,
    cpu: 'amd',
    problems: ['isolation:0000:04:00.0', 'user-groups'],
    gpus: [
      card('0000:04:00.0', true, fns('0000:04:00', 2), {
        isolation: 'shared',
        groupPeers: ['0000:02:00.0', '0000:02:00.1', '0000:06:00.0'],
      }),
    ],
  },
  'iommu-off-firmware': {
    iommu: 'off-in-firmware',
    mode: 'none',
    gpu: null,
    cpu: 'intel',
    problems: ['iommu-enabled'],
    gpus: [
      card('0000:01:00.0', true, fns('0000:01:00', 4), { isolation: 'unknown' }),
      igpu('0000:00:02.0', false, { isolation: 'unknown' }),
    ],
  },
  'iommu-off-kernel': {
    iommu: 'off-in-kernel',
    mode: 'none',
    gpu: null,
    cpu: 'intel',
    problems: ['iommu-enabled'],
    gpus: [card('0000:03:00.0', true, fns('0000:03:00', 2), { isolation: 'unknown' })],
  },
  'optimus-laptop': {
    iommu: 'on',
    mode: 'dual-gpu',
    gpu: '0000:01:00.0',
    cpu: 'intel',
    problems: ['no-outputs:0000:01:00.0', 'looking-glass', 'user-groups'],
    gpus: [
      igpu('0000:00:02.0', true, { displayOutputs: true }),
      card('0000:01:00.0', false, ['0000:01:00.0'], { displayOutputs: false }),
    ],
  },
  'ubuntu-builtin-vfio': {
    iommu: 'on',
    mode: 'dual-gpu',
    gpu: '0000:03:00.0',
    cpu: 'intel',
    problems: ['looking-glass'],
    gpus: [card('0000:03:00.0', true, fns('0000:03:00', 2)), igpu('0000:00:02.0', false)],
  },
  'fedora-silverblue': {
    iommu: 'on',
    mode: 'dual-gpu',
    gpu: '0000:05:00.0',
    cpu: 'amd',
    problems: ['looking-glass'],
    gpus: [
      igpu('0000:10:00.0', true, { functions: fns('0000:10:00', 2) }),
      card('0000:05:00.0', false, fns('0000:05:00', 2)),
    ],
  },
  'no-libvirt': {
    iommu: 'on',
    mode: 'dual-gpu',
    gpu: '0000:01:00.0',
    cpu: 'intel',
    problems: ['libvirt', 'looking-glass', 'user-groups'],
    gpus: [igpu('0000:00:02.0', true), card('0000:01:00.0', false, fns('0000:01:00', 2))],
  },
  'intel-sriov-igpu': {
    iommu: 'on',
    mode: 'dual-gpu',
    gpu: '0000:00:02.1',
    cpu: 'intel',
    problems: [],
    // The physical function and its two VFs share ids but are no identical cards.
    gpus: fns('0000:00:02', 3).map((a, f) => igpu(a, f === 0, { identicalIdsWith: [] })),
  },
  'intel-arc-a750-desktop': {
    iommu: 'on',
    mode: 'dual-gpu',
    gpu: '0000:05:00.0',
    cpu: 'intel',
    problems: ['looking-glass'],
    gpus: [
      igpu('0000:00:02.0', true),
      // The HDMI audio behind the card's own switch (another bus) is the card's own function.
      card('0000:05:00.0', false, ['0000:05:00.0', '0000:06:00.0'], { groupPeers: [] }),
    ],
  },
  'amd-strix-laptop': {
    iommu: 'on',
    mode: 'none',
    gpu: null,
    cpu: 'amd',
    problems: ['integrated-only'],
    reasons: /only GPU and it is integrated[\s\S]*virtual graphics[\s\S]*no SR-IOV[\s\S]*add a discrete GPU/,
    // Class 0x0380 behind the internal bridge, sharing its slot with the processor's own functions.
    gpus: [igpu('0000:c4:00.0', true, { functions: fns('0000:c4:00', 7) })],
  },
  'amd-cezanne-only-laptop': {
    iommu: 'on',
    mode: 'none',
    gpu: null,
    cpu: 'amd',
    problems: ['integrated-only'],
    gpus: [igpu('0000:04:00.0', true, { functions: fns('0000:04:00', 7) })],
  },
  'nixos-skylake-gtx1660': {
    iommu: 'on',
    mode: 'dual-gpu',
    gpu: '0000:01:00.0',
    cpu: 'intel',
    // No "no initramfs generator" warning: NixOS builds its initrd; the group is libvirtd there.
    problems: ['looking-glass', 'user-groups', 'declarative-system'],
    gpus: [igpu('0000:00:02.0', true), card('0000:01:00.0', false, fns('0000:01:00', 4), { groupPeers: [] })],
  },
  'intel-igpu-7vfs-proxmox': {
    iommu: 'on',
    mode: 'dual-gpu',
    gpu: '0000:00:02.1',
    cpu: 'intel',
    problems: ['looking-glass'],
    reasons: /SR-IOV virtual function/,
    // The physical function drives the display; each of its 7 VFs is a GPU of its own.
    gpus: fns('0000:00:02', 8).map((a, f) => igpu(a, f === 0)),
  },
  'intel-igpu-no-sriov-module': {
    iommu: 'on',
    mode: 'none',
    gpu: null,
    cpu: 'intel',
    problems: ['integrated-only', 'igpu-sriov'],
    reasons: /SR-IOV virtual functions/,
    gpus: [igpu('0000:00:02.0', true)],
  },
  'threadripper-x399-workstation': {
    iommu: 'on',
    mode: 'dual-gpu',
    gpu: '0000:0a:00.0',
    cpu: 'amd',
    problems: [],
    gpus: [
      card('0000:42:00.0', true, fns('0000:42:00', 2)),
      card('0000:0a:00.0', false, fns('0000:0a:00', 2), { groupPeers: [] }),
    ],
  },
  'b450-chipset-slot-gpu': {
    iommu: 'on',
    mode: 'dual-gpu',
    gpu: '0000:09:00.0',
    cpu: 'amd',
    // The chipset-slot GT 710 shares the chipset group but stays with the host: no move-slot advice.
    problems: ['kernel-params', 'looking-glass'],
    reasons: /No monitor is connected to .*0000:03:00\.0/,
    gpus: [
      card('0000:09:00.0', true, fns('0000:09:00', 4)),
      card('0000:03:00.0', false, fns('0000:03:00', 2), {
        isolation: 'shared',
        groupPeers: ['0000:01:00.0', '0000:01:00.1', '0000:04:00.0'],
      }),
    ],
  },
};

beforeAll(() => buildCli(), 60_000);

// Each case spawns the CLI (twice for --root, after writing a tree): a loaded 2-core CI machine needs
// far more than vitest's default 5 s.
const SPAWNS = { timeout: 60_000 };

describe('doctor --json on every fixture host', SPAWNS, () => {
  for (const [name, want] of Object.entries(EXPECT)) {
    it(name, () => {
      const run = runCli(['doctor', '--host', fixture(name), '--json']);
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      const report = JSON.parse(run.stdout) as DoctorReport;
      expect(report.cpu.vendor).toBe(want.cpu);
      expect(report.cpu.virtualization).toBe(true);
      expect(report.iommu.state).toBe(want.iommu);
      expect(report.recommendation.mode).toBe(want.mode);
      expect(report.recommendation.gpu).toBe(want.gpu);
      expect(report.recommendation.reasons.length).toBeGreaterThan(0);
      // Host-display GPU first, then in the expected order; nothing more, nothing less.
      expect(report.gpus.map((g) => g.address)).toEqual(want.gpus.map((g) => g.address));
      want.gpus.forEach((g, i) => expect(report.gpus[i]).toMatchObject(g));
      const problems = report.checks
        .filter((c) => c.status !== 'pass')
        .map((c) => c.id)
        .sort();
      expect(problems).toEqual([...want.problems].sort());
      for (const c of report.checks) if (c.status !== 'pass') expect(c.fix, c.id).toMatch(/\S{3,}/);
      if (want.reasons) expect(report.recommendation.reasons.join('\n')).toMatch(want.reasons);
      for (const g of report.gpus) expect(g.integratedBecause, g.address).toMatch(/\S/);
    });
  }
});

describe('doctor --root on a tree with the real sysfs layout gives the --host report', SPAWNS, () => {
  const names = readdirSync(fixturesDir)
    .filter((f) => f.endsWith('.host.json'))
    .map((f) => f.replace(/\.host\.json$/, ''));
  it.each(names)('%s', async (name) => {
    const tree = await materializeHostSpec(JSON.parse(readFileSync(fixture(name), 'utf8')));
    try {
      // Devices live under /sys/devices/pci…; /sys/bus/pci/devices holds links, as on a real machine.
      const bus = path.join(tree.root, 'sys/bus/pci/devices');
      const listed = existsSync(bus) ? readdirSync(bus) : [];
      for (const a of listed)
        expect(readlinkSync(path.join(tree.root, 'sys/bus/pci/devices', a))).toMatch(
          new RegExp(
            `^\\.\\./\\.\\./\\.\\./devices/pci[0-9a-f]{4}:[0-9a-f]{2}/.*${a.replace(/\./g, '\\.')}$`,
          ),
        );
      const byRoot = runCli(['doctor', '--root', tree.root, '--json']);
      const byHost = runCli(['doctor', '--host', fixture(name), '--json']);
      expect(byRoot.status).toBe(0);
      expect(JSON.parse(byRoot.stdout)).toEqual(JSON.parse(byHost.stdout));
    } finally {
      await tree.cleanup();
    }
  });
});
