// The generic SR-IOV path on a real kernel: QEMU's NVMe controller offers virtual functions; the
// sriov-vfs planner's live steps (computed from a scan of a tree laid out like that guest) create two
// VFs, bind one to vfio-pci, and a second plan removes them. The guest checks each VF's IOMMU group,
// proves the bound VF's group viable through the VFIO ioctls, and that everything is back afterwards.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { materializeHostSpec } from '../../electron/host/materialize';
import { scanHost } from '../../electron/host/scan';
import { planSriovVfs, type SriovChange, type SriovLiveStep } from '../../shared/setup/plan-sriov';
import { parseSerial, type GuestRun } from './serial-results';

const PF = '0000:01:00.0';

/** The guest as a host spec: the NVMe PF behind the root port, with or without its two VFs. */
function guestSpec(vfs: number): unknown {
  const pf = {
    address: PF,
    class: '0x010802',
    vendor: '0x1b36',
    device: '0x0010',
    driver: 'nvme',
    iommuGroup: 4,
    parent: '0000:00:03.0',
    sriovTotalVfs: 3,
    sriovNumVfs: vfs,
    sriovOffset: 1,
    sriovStride: 1,
  };
  const vf = (n: number) => ({
    address: `0000:01:00.${n}`,
    class: '0x010802',
    vendor: '0x1b36',
    device: '0x0010',
    driver: null,
    iommuGroup: 4 + n,
    physfn: PF,
  });
  return {
    format: 'gpu-ferry-host/1',
    iommu: { enabled: true },
    pci: [
      {
        address: '0000:00:03.0',
        class: '0x060400',
        vendor: '0x1b36',
        device: '0x000c',
        driver: 'pcieport',
        iommuGroup: 2,
      },
      pf,
      ...Array.from({ length: vfs }, (_, i) => vf(i + 1)),
    ],
  };
}

async function planOn(vfs: number, options: { count: number; vfio?: string }): Promise<SriovChange> {
  const spec = guestSpec(vfs);
  const tree = await materializeHostSpec(spec);
  try {
    return planSriovVfs(await scanHost(tree.root), { device: PF, ...options });
  } finally {
    await tree.cleanup();
  }
}

const SAFE = /^[A-Za-z0-9:._-]+$/;
/** The live steps as the shell lines a root helper's sysfs writes amount to (no udev in this guest). */
function render(change: SriovChange): string {
  const line = (s: SriovLiveStep): string | null => {
    if (s.kind === 'module-load') return `modprobe ${s.module}`;
    for (const v of [s.device, s.value, s.attribute]) if (!SAFE.test(v)) throw new Error(`unsafe value ${v}`);
    const target =
      s.attribute === 'drivers_probe'
        ? '/sys/bus/pci/drivers_probe'
        : `/sys/bus/pci/devices/${s.device}/${s.attribute}`;
    return `printf '%s' ${s.value} > ${target} || echo "GFT-INFO step failed: ${s.attribute}"`;
  };
  return ['#!/bin/bash', ...change.live.map(line).filter((l): l is string => l !== null), ''].join('\n');
}

let create: SriovChange;
let remove: SriovChange;
let run: GuestRun;
let overlay = '';

beforeAll(async () => {
  create = await planOn(0, { count: 2, vfio: '0000:01:00.1' });
  remove = await planOn(2, { count: 0 });
  overlay = mkdtempSync(path.join(tmpdir(), 'gft-sriov-'));
  mkdirSync(path.join(overlay, 'sriov'));
  writeFileSync(path.join(overlay, 'sriov/create.sh'), render(create), { mode: 0o755 });
  writeFileSync(path.join(overlay, 'sriov/remove.sh'), render(remove), { mode: 0o755 });
  execFileSync('install', ['-m', '0755', 'test/kernel/sriov-guest-init.sh', path.join(overlay, 'init')]);
  const built = execFileSync('bash', ['test/kernel/build.sh', overlay], { encoding: 'utf8' });
  const kernel = /KERNEL=(.*)/.exec(built)?.[1] ?? '';
  const initrd = /INITRD=(.*)/.exec(built)?.[1] ?? '';
  const r = spawnSync('bash', ['test/kernel/sriov-boot.sh', kernel, initrd], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  mkdirSync(path.join('test-results', 'kernel'), { recursive: true });
  writeFileSync(path.join('test-results', 'kernel', 'serial-sriov.log'), `${r.stdout}${r.stderr}`);
  run = parseSerial(r.stdout);
});

afterAll(() => rmSync(overlay, { recursive: true, force: true }));

describe('SR-IOV virtual functions on a real kernel (QEMU NVMe)', () => {
  it('plans the boot rule as a file and the live steps in kernel order, VF addresses from offset and stride', () => {
    expect(create.plan.steps.map((s) => s.kind)).toEqual(['write-file']);
    expect(create.plan.steps[0]).toMatchObject({
      path: '/etc/udev/rules.d/70-gpu-ferry-sriov-0000-01-00-0.rules',
    });
    const show = (s: SriovLiveStep) =>
      s.kind === 'module-load' ? `modprobe ${s.module}` : `${s.device} ${s.attribute}=${s.value}`;
    expect(create.live.map(show)).toEqual([
      '0000:01:00.0 sriov_drivers_autoprobe=0',
      '0000:01:00.0 sriov_numvfs=2',
      'modprobe vfio-pci',
      '0000:01:00.1 driver_override=vfio-pci',
      '0000:01:00.1 drivers_probe=0000:01:00.1',
    ]);
    expect(remove.live.map(show)).toEqual([
      '0000:01:00.0 sriov_numvfs=0',
      '0000:01:00.0 sriov_drivers_autoprobe=1',
    ]);
  });

  it('booted, and the guest saw the PF offset and stride the plan assumed', () => {
    expect(run.begin, 'no GFT-BEGIN: see test-results/kernel/serial-sriov.log').not.toBeNull();
    expect(run.end).not.toBeNull();
    expect(run.info.join('\n')).toMatch(/pf=0000:01:00.0 driver=nvme total=3 offset=1 stride=1/);
    expect(run.info.join('\n')).not.toMatch(/step failed/);
  });

  it.each([
    'vfs-created',
    'vf0-on-vfio-pci',
    'vf-own-groups',
    'vf0-group-viable',
    'vfs-removed',
    'everything-back',
  ])('%s', (name) => {
    const r = run.results.find((x) => x.name === name);
    expect(r, `${name} missing; results: ${JSON.stringify(run.results)}`).toBeDefined();
    expect(r?.pass, `${name}: ${r?.detail}`).toBe(true);
  });
});
