// Root's device guard on handoff configs (/etc/gpu-ferry/vms/*.conf: the hook gives DEVICES to the VM as
// root) and on vfio-pci claims, by one rule: a card's own devices (its slot's functions, what sits behind
// its own switch), the card itself listed too; an integrated GPU owns only itself and its audio; never a
// device holding a mounted filesystem or the network interface in use. Hostile plans are refused; what the
// planners make (an NVIDIA card's USB-C and UCSI functions with the IOMMU off, no groups) is not.
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadHost, materializeHostFile } from '../../../electron/host/load';
import { devicesInUse } from '../../../electron/privileged/guard-devices';
import type { HostModel } from '../../../shared/host/model';
import { handoffConfigPath, renderHandoffConfig } from '../../../shared/handoff/config';
import { goalsByName } from '../../../shared/plan/goals.registry';
import { emptyPlan, type Step, type WriteFileStep } from '../../../shared/plan/model';
import { refusalOf } from './refusal';

const HOSTS = path.resolve(__dirname, '../../fixtures/hosts');
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups) await c();
});

/** A fixture host, with CHANGE applied to its tree before the scan (mounts, routes). */
async function host(name: string, change?: (at: At) => void): Promise<HostModel> {
  const file = path.join(HOSTS, `${name}.host.json`);
  const m = await materializeHostFile(JSON.parse(readFileSync(file, 'utf8')) as unknown, file);
  cleanups.push(m.cleanup);
  change?.((p) => path.join(m.root, p));
  return (await loadHost({ root: m.root })).model;
}

const handoff = (devices: string[]): WriteFileStep => ({
  kind: 'write-file',
  path: handoffConfigPath('win11'),
  content: renderHandoffConfig({ vm: 'win11', mode: 'dual-gpu', devices, modules: [], displayManager: null, session: 'terminate', holders: 'refuse', timeoutStopSeconds: 20, timeoutDeviceSeconds: 10 }),
  mode: 0o644,
  owner: 'root',
  group: 'root',
  reason: 'r',
});
const vfio = (ids: string): Step => ({ kind: 'write-file', path: '/etc/modprobe.d/gpu-ferry-vfio.conf', content: `options vfio-pci ids=${ids}\n`, mode: 0o644, owner: 'root', group: 'root', reason: 'r' });

/** The refusal code root gives, or null when it would apply the plan. */
const refusal = (h: HostModel, ...steps: Step[]): string | null => refusalOf(h, { ...emptyPlan('test', 'test'), steps })?.code ?? null;

type At = (p: string) => string;

/** A disk partition at sysfs path UNDER below the PCI device at PCIPATH (under pci0000:00), in /sys/class/block. */
function partitionBehind(at: At, pciPath: string, under: string): void {
  mkdirSync(at(`sys/devices/${pciPath}/${under}`), { recursive: true });
  mkdirSync(at('sys/class/block'), { recursive: true });
  symlinkSync(`../../devices/${pciPath}/${under}`, at(`sys/class/block/${path.basename(under)}`));
}

/** /proc/net/route with the default route on interface IFACE. */
const defaultRoute = (iface: string): string => `Iface\tDestination\tGateway\tFlags\tRefCnt\tUse\tMetric\tMask\tMTU\tWindow\tIRTT\n${iface}\t00000000\t0101A8C0\t0003\t0\t0\t100\t00000000\t0\t0\t0\n`;

/** A disk behind the device at PCIPATH holding the root filesystem. */
const rootDiskBehind = (pciPath: string) => (at: At) => {
  partitionBehind(at, pciPath, 'host0/block/sda/sda2');
  mkdirSync(at('proc/self'), { recursive: true });
  writeFileSync(at('proc/self/mountinfo'), '25 1 8:2 / / rw,relatime shared:1 - ext4 /dev/sda2 rw\n');
};

/** A disk behind the device at PCIPATH whose partition is the active swap space (nothing mounted from it). */
const swapBehind = (pciPath: string) => (at: At) => {
  partitionBehind(at, pciPath, 'nvme/nvme0/nvme0n1/nvme0n1p3');
  mkdirSync(at('proc'), { recursive: true });
  writeFileSync(at('proc/swaps'), 'Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n/dev/nvme0n1p3                          partition\t8388604\t\t0\t\t-2\n');
};

/** The network interface eth0 on the device at PCIPATH, with the default route. */
const routeThrough = (pciPath: string) => (at: At) => {
  mkdirSync(at(`sys/devices/${pciPath}/net/eth0`), { recursive: true });
  mkdirSync(at('sys/class/net/eth0'), { recursive: true });
  symlinkSync(`../../../devices/${pciPath}`, at('sys/class/net/eth0/device'));
  mkdirSync(at('proc/net'), { recursive: true });
  writeFileSync(at('proc/net/route'), defaultRoute('eth0'));
};

/** The same NIC as eth0 under a bridge br0 (VM hosts' usual networking) that holds the default route. */
const bridgedRouteThrough = (pciPath: string) => (at: At) => {
  routeThrough(pciPath)(at);
  mkdirSync(at('sys/class/net/br0'), { recursive: true });
  symlinkSync('../eth0', at('sys/class/net/br0/lower_eth0'));
  writeFileSync(at('proc/net/route'), defaultRoute('br0'));
};

describe('handoff configs and vfio-pci claims at root: a card\'s own devices only', () => {
  it('an NVIDIA card\'s USB-C and UCSI functions with the IOMMU off (no groups) are its own: accepted, as the planner makes them', async () => {
    const h = await host('iommu-off-firmware');
    const card = ['0000:01:00.0', '0000:01:00.1', '0000:01:00.2', '0000:01:00.3'];
    expect(refusal(h, handoff(card))).toBeNull();
    expect(refusal(h, vfio('10de:1e87,10de:10f8,10de:1ad8,10de:1ad9'))).toBeNull();
    const goal = goalsByName().get('handoff-config')!;
    for (const options of goal.examples(h)) expect(refusal(h, ...goal.plan(h, goal.options.parse(options)).steps)).toBeNull();
    // The chipset's own USB controller is no card's.
    expect(refusal(h, handoff([...card, '0000:00:14.0']))).toBe('device-not-allowed');
  });

  it('refuses the root disk\'s controller, even listed with a card', async () => {
    // The NVMe 0000:01:00.0 holds the root filesystem; the GTX 1060 0000:04:00.0 is the card.
    const h = await host('gpu-shared-group', rootDiskBehind('pci0000:00/0000:00:01.1/0000:01:00.0'));
    expect(refusal(h, handoff(['0000:04:00.0', '0000:04:00.1', '0000:01:00.0']))).toBe('device-in-use');
    expect(refusal(h, handoff(['0000:01:00.0']))).toBe('device-in-use');
    // Its only use the active swap space: in use all the same (vfio-pci would take the swap away).
    const swapping = await host('gpu-shared-group', swapBehind('pci0000:00/0000:00:01.1/0000:01:00.0'));
    expect(refusal(swapping, handoff(['0000:04:00.0', '0000:04:00.1', '0000:01:00.0']))).toBe('device-in-use');
    expect(devicesInUse(swapping.root).get('0000:01:00.0')).toBe('holds the swap space /dev/nvme0n1p3');
    // Not mounted, still no card's: refused all the same.
    const plain = await host('gpu-shared-group');
    expect(refusal(plain, handoff(['0000:04:00.0', '0000:04:00.1', '0000:01:00.0']))).toBe('device-not-allowed');
    expect(refusal(plain, handoff(['0000:04:00.0', '0000:04:00.1']))).toBeNull();
  });

  it('refuses the network interface\'s controller: in use, and a group peer is never a card\'s own', async () => {
    // The Realtek NIC 0000:06:00.0 shares the card's IOMMU group: vfio-pci may take it with the card (the
    // group goes together), a handoff config may not hand it over as if it were the card's.
    const plain = await host('gpu-shared-group');
    expect(refusal(plain, handoff(['0000:04:00.0', '0000:04:00.1', '0000:06:00.0']))).toBe('device-not-allowed');
    const routed = await host('gpu-shared-group', routeThrough('pci0000:00/0000:00:01.3/0000:02:00.2/0000:03:09.0/0000:06:00.0'));
    expect(refusal(routed, handoff(['0000:04:00.0', '0000:04:00.1', '0000:06:00.0']))).toBe('device-in-use');
    expect(refusal(routed, vfio('10de:1c03,10de:10f1,10ec:8168'))).toBe('device-in-use');
    // The route on a bridge (or bond, VLAN) over that NIC: the NIC is in use all the same.
    const bridged = await host('gpu-shared-group', bridgedRouteThrough('pci0000:00/0000:00:01.3/0000:02:00.2/0000:03:09.0/0000:06:00.0'));
    expect(refusal(bridged, vfio('10de:1c03,10de:10f1,10ec:8168'))).toBe('device-in-use');
    expect(refusal(bridged, vfio('10de:1c03,10de:10f1'))).toBeNull();
  });

  it('refuses an APU\'s USB controllers, which share the integrated GPU\'s slot and group', async () => {
    // Cezanne: the iGPU 0000:04:00.0 shares slot and IOMMU group 5 with the host's xHCI controllers .3 and .4.
    const h = await host('amd-cezanne-only-laptop');
    expect(refusal(h, handoff(['0000:04:00.0', '0000:04:00.1', '0000:04:00.3']))).toBe('device-not-allowed');
    expect(refusal(h, vfio('1002:1638,1002:1637,1022:1639'))).toBe('device-not-allowed');
    expect(refusal(h, vfio('1002:1638,1002:1637'))).toBeNull();
  });

  it('refuses a card\'s function without the card, a device not on this machine, and a config the hook would not read', async () => {
    const h = await host('iommu-off-firmware');
    expect(refusal(h, handoff(['0000:01:00.2']))).toBe('device-not-allowed');
    expect(refusal(h, handoff(['0000:01:00.0', '0000:09:00.0']))).toBe('device-not-allowed');
    expect(refusal(h, { ...handoff(['0000:01:00.0']), content: 'FORMAT=gpu-ferry-handoff/1\nVM=win11\nMODE=dual-gpu\nDEVICES=0000:01:00.0  0000:00:14.0\n' })).toBe('content-not-allowed');
  });
});
