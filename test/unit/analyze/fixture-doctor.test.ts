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

const navi21 = ['0000:0e:00.0', '0000:0e:00.1', '0000:0e:00.2', '0000:0e:00.3'];
const turing = (bus: string) => [0, 1, 2, 3].map((f) => `0000:${bus}:00.${f}`);

const EXPECT: Record<string, FixtureExpect> = {
  'nvidia-only-desktop': {
    iommu: 'on',
    mode: 'single-gpu',
    gpu: '0000:0a:00.0',
    cpu: 'amd',
    problems: [],
    gpus: [
      {
        address: '0000:0a:00.0',
        integrated: false,
        drivesHostDisplay: true,
        functions: ['0000:0a:00.0', '0000:0a:00.1'],
        isolation: 'isolated',
        groupPeers: [],
      },
    ],
  },
  'amd-navi21-desktop': {
    iommu: 'on',
    mode: 'single-gpu',
    gpu: '0000:0e:00.0',
    cpu: 'amd',
    problems: [],
    gpus: [
      {
        address: '0000:0e:00.0',
        integrated: false,
        drivesHostDisplay: true,
        functions: navi21,
        isolation: 'isolated',
        groupPeers: [],
      },
    ],
  },
  'intel-igpu-nvidia': {
    iommu: 'on',
    mode: 'dual-gpu',
    gpu: '0000:01:00.0',
    cpu: 'intel',
    problems: [],
    gpus: [
      {
        address: '0000:00:02.0',
        integrated: true,
        drivesHostDisplay: true,
        functions: ['0000:00:02.0'],
        isolation: 'isolated',
      },
      {
        address: '0000:01:00.0',
        integrated: false,
        drivesHostDisplay: false,
        functions: ['0000:01:00.0', '0000:01:00.1'],
        isolation: 'isolated',
      },
    ],
  },
  'amd-apu-amd-dgpu': {
    iommu: 'on',
    mode: 'dual-gpu',
    gpu: '0000:03:00.0',
    cpu: 'amd',
    problems: ['looking-glass'],
    gpus: [
      {
        address: '0000:0b:00.0',
        integrated: true,
        drivesHostDisplay: true,
        functions: ['0000:0b:00.0', '0000:0b:00.1'],
        isolation: 'isolated',
      },
      {
        address: '0000:03:00.0',
        integrated: false,
        drivesHostDisplay: false,
        functions: ['0000:03:00.0', '0000:03:00.1'],
        isolation: 'isolated',
      },
    ],
  },
  'two-identical-gpus': {
    iommu: 'on',
    mode: 'dual-gpu',
    gpu: '0000:21:00.0',
    cpu: 'amd',
    problems: ['identical-ids:0000:21:00.0', 'identical-ids:0000:4a:00.0', 'looking-glass'],
    gpus: [
      {
        address: '0000:4a:00.0',
        integrated: false,
        drivesHostDisplay: true,
        functions: turing('4a'),
        isolation: 'isolated',
        identicalIdsWith: ['0000:21:00.0'],
      },
      {
        address: '0000:21:00.0',
        integrated: false,
        drivesHostDisplay: false,
        functions: turing('21'),
        isolation: 'isolated',
        identicalIdsWith: ['0000:4a:00.0'],
      },
    ],
  },
  'gpu-shared-group': {
    iommu: 'on',
    mode: 'none',
    gpu: null,
    cpu: 'amd',
    problems: ['isolation:0000:04:00.0', 'user-groups'],
    gpus: [
      {
        address: '0000:04:00.0',
        integrated: false,
        drivesHostDisplay: true,
        isolation: 'shared',
        functions: ['0000:04:00.0', '0000:04:00.1'],
        groupPeers: ['0000:02:00.0', '0000:02:00.1', '0000:06:00.0'],
      },
    ],
  },
  'iommu-off-firmware': {
    iommu: 'off-in-firmware',
    mode: 'none',
    gpu: null,
    cpu: 'intel',
    problems: ['iommu-enabled'],
    gpus: [
      {
        address: '0000:01:00.0',
        integrated: false,
        drivesHostDisplay: true,
        functions: turing('01'),
        isolation: 'unknown',
      },
      {
        address: '0000:00:02.0',
        integrated: true,
        drivesHostDisplay: false,
        functions: ['0000:00:02.0'],
        isolation: 'unknown',
      },
    ],
  },
  'iommu-off-kernel': {
    iommu: 'off-in-kernel',
    mode: 'none',
    gpu: null,
    cpu: 'intel',
    problems: ['iommu-enabled'],
    gpus: [
      {
        address: '0000:03:00.0',
        integrated: false,
        drivesHostDisplay: true,
        functions: ['0000:03:00.0', '0000:03:00.1'],
        isolation: 'unknown',
      },
    ],
  },
  'optimus-laptop': {
    iommu: 'on',
    mode: 'dual-gpu',
    gpu: '0000:01:00.0',
    cpu: 'intel',
    problems: ['no-outputs:0000:01:00.0', 'looking-glass', 'user-groups'],
    gpus: [
      {
        address: '0000:00:02.0',
        integrated: true,
        drivesHostDisplay: true,
        functions: ['0000:00:02.0'],
        isolation: 'isolated',
        displayOutputs: true,
      },
      {
        address: '0000:01:00.0',
        integrated: false,
        drivesHostDisplay: false,
        functions: ['0000:01:00.0'],
        isolation: 'isolated',
        displayOutputs: false,
      },
    ],
  },
  'ubuntu-builtin-vfio': {
    iommu: 'on',
    mode: 'dual-gpu',
    gpu: '0000:03:00.0',
    cpu: 'intel',
    problems: ['looking-glass'],
    gpus: [
      {
        address: '0000:03:00.0',
        integrated: false,
        drivesHostDisplay: true,
        functions: ['0000:03:00.0', '0000:03:00.1'],
        isolation: 'isolated',
      },
      {
        address: '0000:00:02.0',
        integrated: true,
        drivesHostDisplay: false,
        functions: ['0000:00:02.0'],
        isolation: 'isolated',
      },
    ],
  },
  'fedora-silverblue': {
    iommu: 'on',
    mode: 'dual-gpu',
    gpu: '0000:05:00.0',
    cpu: 'amd',
    problems: ['looking-glass'],
    gpus: [
      {
        address: '0000:10:00.0',
        integrated: true,
        drivesHostDisplay: true,
        functions: ['0000:10:00.0', '0000:10:00.1'],
        isolation: 'isolated',
      },
      {
        address: '0000:05:00.0',
        integrated: false,
        drivesHostDisplay: false,
        functions: ['0000:05:00.0', '0000:05:00.1'],
        isolation: 'isolated',
      },
    ],
  },
  'no-libvirt': {
    iommu: 'on',
    mode: 'dual-gpu',
    gpu: '0000:01:00.0',
    cpu: 'intel',
    problems: ['libvirt', 'looking-glass', 'user-groups'],
    gpus: [
      {
        address: '0000:00:02.0',
        integrated: true,
        drivesHostDisplay: true,
        functions: ['0000:00:02.0'],
        isolation: 'isolated',
      },
      {
        address: '0000:01:00.0',
        integrated: false,
        drivesHostDisplay: false,
        functions: ['0000:01:00.0', '0000:01:00.1'],
        isolation: 'isolated',
      },
    ],
  },
  'intel-sriov-igpu': {
    iommu: 'on',
    mode: 'dual-gpu',
    gpu: '0000:00:02.1',
    cpu: 'intel',
    problems: [],
    gpus: [
      {
        address: '0000:00:02.0',
        integrated: true,
        drivesHostDisplay: true,
        functions: ['0000:00:02.0'],
        isolation: 'isolated',
        identicalIdsWith: [],
      },
      {
        address: '0000:00:02.1',
        integrated: true,
        drivesHostDisplay: false,
        functions: ['0000:00:02.1'],
        isolation: 'isolated',
        identicalIdsWith: [],
      },
      {
        address: '0000:00:02.2',
        integrated: true,
        drivesHostDisplay: false,
        functions: ['0000:00:02.2'],
        isolation: 'isolated',
        identicalIdsWith: [],
      },
    ],
  },
  'intel-arc-a750-desktop': {
    iommu: 'on',
    mode: 'dual-gpu',
    gpu: '0000:05:00.0',
    cpu: 'intel',
    problems: ['looking-glass'],
    gpus: [
      {
        address: '0000:00:02.0',
        integrated: true,
        drivesHostDisplay: true,
        functions: ['0000:00:02.0'],
        isolation: 'isolated',
      },
      {
        // The HDMI audio behind the card's own switch (another bus) is the card's own function.
        address: '0000:05:00.0',
        integrated: false,
        drivesHostDisplay: false,
        functions: ['0000:05:00.0', '0000:06:00.0'],
        isolation: 'isolated',
        groupPeers: [],
      },
    ],
  },
  'amd-strix-laptop': {
    iommu: 'on',
    mode: 'none',
    gpu: null,
    cpu: 'amd',
    problems: ['integrated-only'],
    reasons: /only GPU and it is integrated[\s\S]*virtual graphics[\s\S]*no SR-IOV[\s\S]*add a discrete GPU/,
    gpus: [
      {
        // Class 0x0380 behind the internal bridge, sharing its slot with the processor's own functions.
        address: '0000:c4:00.0',
        integrated: true,
        drivesHostDisplay: true,
        isolation: 'isolated',
        functions: [0, 1, 2, 3, 4, 5, 6].map((f) => `0000:c4:00.${f}`),
      },
    ],
  },
  'amd-cezanne-only-laptop': {
    iommu: 'on',
    mode: 'none',
    gpu: null,
    cpu: 'amd',
    problems: ['integrated-only'],
    gpus: [
      {
        address: '0000:04:00.0',
        integrated: true,
        drivesHostDisplay: true,
        isolation: 'isolated',
        functions: [0, 1, 2, 3, 4, 5, 6].map((f) => `0000:04:00.${f}`),
      },
    ],
  },
  'nixos-skylake-gtx1660': {
    iommu: 'on',
    mode: 'dual-gpu',
    gpu: '0000:01:00.0',
    cpu: 'intel',
    // No "no initramfs generator" warning: NixOS builds its initrd; the group is libvirtd there.
    problems: ['looking-glass', 'user-groups', 'declarative-system'],
    gpus: [
      {
        address: '0000:00:02.0',
        integrated: true,
        drivesHostDisplay: true,
        functions: ['0000:00:02.0'],
        isolation: 'isolated',
      },
      {
        address: '0000:01:00.0',
        integrated: false,
        drivesHostDisplay: false,
        functions: turing('01'),
        isolation: 'isolated',
        groupPeers: [],
      },
    ],
  },
  'intel-igpu-7vfs-proxmox': {
    iommu: 'on',
    mode: 'dual-gpu',
    gpu: '0000:00:02.1',
    cpu: 'intel',
    problems: ['looking-glass'],
    reasons: /SR-IOV virtual function/,
    gpus: [
      {
        address: '0000:00:02.0',
        integrated: true,
        drivesHostDisplay: true,
        functions: ['0000:00:02.0'],
        isolation: 'isolated',
      },
      {
        address: '0000:00:02.1',
        integrated: true,
        drivesHostDisplay: false,
        functions: ['0000:00:02.1'],
        isolation: 'isolated',
      },
      {
        address: '0000:00:02.2',
        integrated: true,
        drivesHostDisplay: false,
        functions: ['0000:00:02.2'],
        isolation: 'isolated',
      },
      {
        address: '0000:00:02.3',
        integrated: true,
        drivesHostDisplay: false,
        functions: ['0000:00:02.3'],
        isolation: 'isolated',
      },
      {
        address: '0000:00:02.4',
        integrated: true,
        drivesHostDisplay: false,
        functions: ['0000:00:02.4'],
        isolation: 'isolated',
      },
      {
        address: '0000:00:02.5',
        integrated: true,
        drivesHostDisplay: false,
        functions: ['0000:00:02.5'],
        isolation: 'isolated',
      },
      {
        address: '0000:00:02.6',
        integrated: true,
        drivesHostDisplay: false,
        functions: ['0000:00:02.6'],
        isolation: 'isolated',
      },
      {
        address: '0000:00:02.7',
        integrated: true,
        drivesHostDisplay: false,
        functions: ['0000:00:02.7'],
        isolation: 'isolated',
      },
    ],
  },
  'intel-igpu-no-sriov-module': {
    iommu: 'on',
    mode: 'none',
    gpu: null,
    cpu: 'intel',
    problems: ['integrated-only', 'igpu-sriov'],
    reasons: /SR-IOV virtual functions/,
    gpus: [
      {
        address: '0000:00:02.0',
        integrated: true,
        drivesHostDisplay: true,
        functions: ['0000:00:02.0'],
        isolation: 'isolated',
      },
    ],
  },
  'threadripper-x399-workstation': {
    iommu: 'on',
    mode: 'dual-gpu',
    gpu: '0000:0a:00.0',
    cpu: 'amd',
    problems: [],
    gpus: [
      {
        address: '0000:42:00.0',
        integrated: false,
        drivesHostDisplay: true,
        functions: ['0000:42:00.0', '0000:42:00.1'],
        isolation: 'isolated',
      },
      {
        address: '0000:0a:00.0',
        integrated: false,
        drivesHostDisplay: false,
        functions: ['0000:0a:00.0', '0000:0a:00.1'],
        isolation: 'isolated',
        groupPeers: [],
      },
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
      {
        address: '0000:09:00.0',
        integrated: false,
        drivesHostDisplay: true,
        functions: turing('09'),
        isolation: 'isolated',
      },
      {
        address: '0000:03:00.0',
        integrated: false,
        drivesHostDisplay: false,
        functions: ['0000:03:00.0', '0000:03:00.1'],
        isolation: 'shared',
        groupPeers: ['0000:01:00.0', '0000:01:00.1', '0000:04:00.0'],
      },
    ],
  },
};

beforeAll(() => buildCli(), 60_000);

describe('doctor --json on every fixture host', () => {
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

describe('doctor --root on a tree with the real sysfs layout gives the --host report', () => {
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
