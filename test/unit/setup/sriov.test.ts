// The sriov-vfs planner: VF addresses from offset and stride, the guards root applies when it
// recomputes the plan, the boot rule, removal, Intel iGPU parameters and NixOS; the doctor's listing.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadHost, type LoadedHost } from '../../../electron/host/load';
import { buildDoctorReport } from '../../../shared/analyze/doctor';
import { declarativeAware } from '../../../shared/setup/declarative';
import { sriovGoal } from '../../../shared/setup/goals';
import { planSriovVfs, SriovPlanError, vfAddress } from '../../../shared/setup/plan-sriov';
import { virtualFunctionToAttach } from '../../../shared/vm/gpu-hostdev';
import { gpuFunctions } from '../../../shared/vm/vm-change';
import { pci } from '../analyze/model-builder';

const HOSTS = path.resolve(__dirname, '../../fixtures/hosts');
let igpu: LoadedHost;
beforeAll(async () => {
  igpu = await loadHost({ host: path.join(HOSTS, 'intel-sriov-igpu.host.json') });
});
afterAll(() => igpu.cleanup());

describe('sriov-vfs', () => {
  it('computes VF addresses as the kernel does, across slots and buses', () => {
    const nic = pci('0000:03:00.0', '020000', '8086', '1572', {
      sriovTotalVfs: 64,
      sriovOffset: 0x80,
      sriovStride: 1,
    });
    expect([0, 7, 8].map((i) => vfAddress(nic, i))).toEqual(['0000:03:10.0', '0000:03:10.7', '0000:03:11.0']);
    const far = pci('0000:41:00.1', '020000', '15b3', '101b', {
      sriovTotalVfs: 8,
      sriovOffset: 0xff,
      sriovStride: 2,
    });
    expect(vfAddress(far, 1)).toBe('0000:42:00.2');
    expect(vfAddress(pci('0000:03:00.0', '020000', '8086', '1572'), 0)).toBeNull();
  });

  it('refuses what root must refuse, naming the reason', () => {
    const plan = (o: { device: string; count: number; vfio?: string }) => () => planSriovVfs(igpu.model, o);
    expect(plan({ device: '0000:00:02.0', count: 8 })).toThrow(/at most 7 virtual functions.*asked for 8/);
    expect(plan({ device: '0000:00:02.0', count: 2, vfio: '0000:00:02.3' })).toThrow(SriovPlanError);
    expect(plan({ device: '0000:00:02.1', count: 1 })).toThrow(/itself a virtual function of 0000:00:02.0/);
    expect(plan({ device: '0000:00:14.0', count: 1 })).toThrow(/does not offer SR-IOV/);
    expect(plan({ device: '0000:09:00.0', count: 1 })).toThrow(/no PCI device 0000:09:00.0/);
    expect(() => sriovGoal.options.parse({ device: '0000:00:02.0', count: -1 })).toThrow(/0 or more/);
  });

  it('plans the live change as typed steps root applies, and writes the boot rule', () => {
    const plan = planSriovVfs(igpu.model, {
      device: '0000:00:02.0',
      count: 3,
      vfio: '0000:00:02.3',
    });
    expect(plan.steps.filter((s) => s.kind !== 'write-file')).toEqual([
      expect.objectContaining({ kind: 'sriov-numvfs', device: '0000:00:02.0', count: 3, before: 2, autoprobe: false }),
      expect.objectContaining({ kind: 'module-load', module: 'vfio-pci' }),
      { kind: 'vfio-bind-vf', device: '0000:00:02.3', pf: '0000:00:02.0', reason: expect.any(String) },
    ]);
    // From 2 to 3 goes through 0 (root's step does it), and the review says so.
    expect(plan.steps.find((s) => s.kind === 'sriov-numvfs')?.reason).toMatch(/only from 0, so the 2 there now go first/);
    const rule = plan.steps.find((s) => s.kind === 'write-file');
    expect(rule && rule.kind === 'write-file' && rule.content).toContain(
      'ACTION=="add|bind", SUBSYSTEM=="pci", KERNEL=="0000:00:02.0", DRIVER=="?*", ATTR{sriov_drivers_autoprobe}="0", ATTR{sriov_numvfs}="3"',
    );
    // i915.enable_guc=3 i915.max_vfs=7 are already on this command line: no bootloader edit, honest words.
    expect(plan.steps.some((s) => s.kind === 'edit-file')).toBe(false);
    expect(plan.warnings.join(' ')).toMatch(/i915-sriov-dkms/);
  });

  it('leaves the number alone when it is already right, and binds an existing VF', () => {
    const plan = planSriovVfs(igpu.model, { device: '0000:00:02.0', count: 2, vfio: '0000:00:02.2' });
    expect(plan.steps.map((s) => s.kind)).toEqual(['write-file', 'module-load', 'vfio-bind-vf']);
  });

  it('adds the i915 parameters through the bootloader when they are missing', () => {
    const bare = {
      ...igpu.model,
      kernel: { ...igpu.model.kernel, cmdline: 'root=UUID=d4e5 rw intel_iommu=on' },
    };
    const files = { ...bare.files };
    files['/boot/loader/entries/arch.conf'] = files['/boot/loader/entries/arch.conf']!.replace(
      ' i915.enable_guc=3 i915.max_vfs=7',
      '',
    );
    const plan = planSriovVfs({ ...bare, files }, { device: '0000:00:02.0', count: 2 });
    const edit = plan.steps.find((s) => s.kind === 'edit-file');
    expect(edit && edit.kind === 'edit-file' && edit.after).toMatch(
      /options .*i915\.enable_guc=3 i915\.max_vfs=7/,
    );
    expect(plan.reboot).toMatch(/restart/);
  });

  it('removes the VFs and the rule with --count 0; nothing to do when there is nothing', () => {
    const rule = '/etc/udev/rules.d/70-gpu-ferry-sriov-0000-00-02-0.rules';
    const host = { ...igpu.model, files: { ...igpu.model.files, [rule]: 'x\n' } };
    const plan = planSriovVfs(host, { device: '0000:00:02.0', count: 0 });
    expect(plan.steps.map((s) => s.kind)).toEqual(['remove-file', 'sriov-numvfs']);
    expect(plan.steps[1]).toMatchObject({ count: 0, before: 2, autoprobe: true });
    const none = {
      ...igpu.model,
      pci: igpu.model.pci.map((d) => (d.address === '0000:00:02.0' ? { ...d, sriovNumVfs: 0 } : d)),
    };
    expect(planSriovVfs(none, { device: '0000:00:02.0', count: 0 }).steps).toEqual([]);
  });

  it('on NixOS declares the boot rule instead of writing it', () => {
    const nixos = { ...igpu.model, os: { ...igpu.model.os, id: 'nixos', idLike: [] } };
    const plan = declarativeAware(sriovGoal).plan(nixos, { device: '0000:00:02.0', count: 3 });
    // The live change still happens now; the boot rule is declared instead of written.
    expect(plan.steps.map((s) => s.kind)).toEqual(['sriov-numvfs']);
    expect(plan.warnings.join('\n')).toContain(
      'services.udev.extraRules = \'\'\n    ACTION=="add|bind", SUBSYSTEM=="pci", KERNEL=="0000:00:02.0"',
    );
  });

  it('the doctor lists SR-IOV devices with each VF group, and the VM step attaches a VF on its own', () => {
    const report = buildDoctorReport(igpu.model);
    expect(report.sriov).toEqual([
      expect.objectContaining({
        address: '0000:00:02.0',
        totalVfs: 7,
        numVfs: 2,
        virtualFunctions: [
          { address: '0000:00:02.1', driver: null, iommuGroup: 20, ownGroup: true },
          { address: '0000:00:02.2', driver: null, iommuGroup: 21, ownGroup: true },
        ],
      }),
    ]);
    expect(virtualFunctionToAttach(report, '0000:00:02.2')).toEqual(['0000:00:02.2']);
    expect(virtualFunctionToAttach(report, '0000:00:02.0')).toBeNull();
    const nicOnly = { ...report, gpus: [] };
    expect(gpuFunctions(nicOnly, '0000:00:02.1')).toEqual(['0000:00:02.1']);
  });
});
