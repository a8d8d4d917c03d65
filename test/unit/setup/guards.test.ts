// The guards of the setup planners, on the real scanner's view of fixture hosts with one fact changed.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadHost, type LoadedHost } from '../../../electron/host/load';
import type { HostModel } from '../../../shared/host/model';
import { planIommu } from '../../../shared/setup/plan-iommu';
import { planVfioEarly } from '../../../shared/setup/plan-vfio-early';
import { vfioEarlyGoal } from '../../../shared/setup/goals';

const HOSTS = path.resolve(__dirname, '../../fixtures/hosts');
let arch: LoadedHost;
let amd: LoadedHost;
beforeAll(async () => {
  arch = await loadHost({ host: path.join(HOSTS, 'distro-arch-grub.host.json') });
  amd = await loadHost({ host: path.join(HOSTS, 'distro-endeavouros.host.json') });
});
afterAll(async () => {
  await arch.cleanup();
  await amd.cleanup();
});
const clone = (m: HostModel): HostModel => structuredClone(m);

describe('vfio-early guards', () => {
  it('refuses the GPU that drives the host display at boot, and changes nothing', () => {
    expect(() => planVfioEarly(arch.model, { gpu: '0000:00:02.0' })).toThrow(
      /Refusing: 0000:00:02.0 drives the host display/,
    );
  });

  it('refuses a GPU that is not the boot GPU but has every monitor of the host connected', () => {
    const m = clone(arch.model);
    m.pci.find((d) => d.address === '0000:00:02.0')!.drm = {
      card: 'card0',
      connectors: { 'HDMI-A-1': 'disconnected' },
    };
    m.pci.find((d) => d.address === '0000:01:00.0')!.drm = {
      card: 'card1',
      connectors: { 'DP-1': 'connected' },
    };
    expect(() => planVfioEarly(m, { gpu: '0000:01:00.0' })).toThrow(
      /Refusing: 0000:01:00.0 drives every screen of the host now/,
    );
  });

  it('rejects an unknown address and a device that is not a GPU', () => {
    expect(() => planVfioEarly(arch.model, { gpu: '0000:09:00.0' })).toThrow(/No PCI device 0000:09:00.0/);
    expect(() => planVfioEarly(arch.model, { gpu: '0000:01:00.1' })).toThrow(/is not a GPU/);
  });

  it('validates options: an address or --remove, not both', () => {
    expect(vfioEarlyGoal.options.safeParse({ gpu: '0000:01:00.0' }).success).toBe(true);
    expect(vfioEarlyGoal.options.safeParse({ remove: true }).success).toBe(true);
    expect(vfioEarlyGoal.options.safeParse({ gpu: '0000:01:00.0', remove: true }).success).toBe(false);
    expect(vfioEarlyGoal.options.safeParse({ gpu: '01:00.0' }).success).toBe(false);
  });

  it('warns about an encrypted root when vfio goes into the initramfs', () => {
    const m = clone(arch.model);
    expect(planVfioEarly(m, { gpu: '0000:01:00.0' }).warnings.join('\n')).not.toMatch(/encrypted/);
    m.files['/etc/crypttab'] = '# <name> <device> <password> <options>\ncryptroot UUID=1234 none luks\n';
    expect(planVfioEarly(m, { gpu: '0000:01:00.0' }).warnings.join('\n')).toMatch(
      /root file system is encrypted/,
    );
  });

  it('puts vfio-pci.ids on the kernel command line when vfio-pci is built in, with no initramfs change', () => {
    const m = clone(arch.model);
    m.kernel.builtin = ['vfio_pci'];
    const plan = planVfioEarly(m, { gpu: '0000:01:00.0' });
    expect(
      plan.steps.map((s) =>
        s.kind === 'edit-file' || s.kind === 'write-file' ? s.path : s.kind === 'run' ? s.argv[0] : '',
      ),
    ).toEqual(['/etc/default/grub', 'grub-mkconfig']);
    const grub = plan.steps[0];
    expect(grub?.kind === 'edit-file' && grub.after).toMatch(
      /GRUB_CMDLINE_LINUX_DEFAULT="loglevel=3 quiet nvidia_drm.modeset=1 vfio-pci.ids=10de:2484,10de:228b"/,
    );
  });

  it('binds by address with an install hook when another device has the same ids', () => {
    const m = clone(arch.model);
    m.pci.push({
      ...structuredClone(m.pci.find((d) => d.address === '0000:01:00.0')!),
      address: '0000:02:00.0',
      bootVga: false,
    });
    const plan = planVfioEarly(m, { gpu: '0000:01:00.0' });
    const file = plan.steps[0];
    expect(file?.kind === 'write-file' && file.content).toMatch(
      /^install vfio-pci for d in 0000:01:00.0 0000:01:00.1; do .*driver_override.*exec modprobe -i vfio-pci \$CMDLINE_OPTS$/m,
    );
    expect(file?.kind === 'write-file' && file.content).not.toMatch(/ids=/);
    expect(plan.warnings.join('\n')).toMatch(/0000:02:00.0 has the same ids/);
  });
});

describe('configuration that would hide an edit', () => {
  it('warns when /etc/default/grub.d reassigns the variable, not when it only appends to it', () => {
    const m = clone(arch.model);
    m.files['/etc/default/grub.d/50-appends.cfg'] =
      'GRUB_CMDLINE_LINUX_DEFAULT="$GRUB_CMDLINE_LINUX_DEFAULT splash"\n';
    expect(planIommu(m).warnings).toEqual([]);
    m.files['/etc/default/grub.d/90-cloud.cfg'] = 'GRUB_CMDLINE_LINUX_DEFAULT="console=tty1"\n';
    expect(planIommu(m).warnings).toEqual([
      expect.stringMatching(/^\/etc\/default\/grub.d\/90-cloud.cfg sets GRUB_CMDLINE_LINUX_DEFAULT again/),
    ]);
  });

  it('warns when a mkinitcpio drop-in replaces MODULES', () => {
    const m = clone(arch.model);
    m.files['/etc/mkinitcpio.conf.d/nvidia.conf'] = 'MODULES=(nvidia nvidia_modeset nvidia_uvm nvidia_drm)\n';
    expect(planVfioEarly(m, { gpu: '0000:01:00.0' }).warnings.join('\n')).toMatch(
      /nvidia.conf sets MODULES again/,
    );
  });

  it('warns when a monitor is connected to the GPU being bound', () => {
    const m = clone(arch.model);
    const gpu = m.pci.find((d) => d.address === '0000:01:00.0')!;
    expect(planVfioEarly(m, { gpu: gpu.address }).warnings.join('\n')).not.toMatch(/monitor/);
    gpu.drm = { card: 'card1', connectors: { 'DP-2': 'connected', 'HDMI-A-1': 'disconnected' } };
    expect(planVfioEarly(m, { gpu: gpu.address }).warnings.join('\n')).toMatch(
      /A monitor is connected to this GPU \(DP-2\)/,
    );
  });
});

describe('iommu guards and choices', () => {
  it('on AMD adds only iommu=pt, never amd_iommu=on', () => {
    const text = JSON.stringify(planIommu(amd.model).steps);
    expect(text).toMatch(/iommu=pt/);
    expect(text).not.toMatch(/amd_iommu/);
  });

  it('on Intel adds intel_iommu=on unless the running kernel already has DMA remapping on without it', () => {
    expect(JSON.stringify(planIommu(arch.model).steps)).toMatch(/intel_iommu=on/);
    const m = clone(arch.model);
    m.iommu.units = ['dmar0', 'dmar1'];
    expect(JSON.stringify(planIommu(m).steps)).not.toMatch(/intel_iommu/);
  });

  it('says what to enable in the firmware, by vendor, when the IOMMU is off there', () => {
    const intel = clone(arch.model);
    intel.iommu.firmwareTable = null;
    intel.firmware.acpiTables = ['FACP', 'APIC'];
    expect(planIommu(intel).warnings[0]).toMatch(/no kernel parameter can fix that.*Intel VT-d/);
    const a = clone(amd.model);
    a.iommu.firmwareTable = null;
    a.iommu.units = [];
    a.iommu.groups = {};
    a.firmware.acpiTables = ['FACP'];
    expect(planIommu(a).warnings[0]).toMatch(/IVRS.*"IOMMU".*AMD-Vi.*SVM/);
  });

  it('gives a clear error when the bootloader is unknown', () => {
    const m = clone(arch.model);
    m.bootloader = { kind: 'unknown', evidence: [], espPath: null, uki: false };
    expect(() => planIommu(m)).toThrow(/could not tell which bootloader.*intel_iommu=on iommu=pt/);
  });

  it('creates /etc/kernel/cmdline from the running command line for UKIs that have none', () => {
    const m = clone(amd.model);
    m.bootloader = { kind: 'systemd-boot', evidence: [], espPath: '/efi', uki: true };
    delete m.files['/etc/kernel/cmdline'];
    m.kernel.cmdline = 'BOOT_IMAGE=/vmlinuz-linux initrd=\\initramfs.img root=UUID=1 rw quiet';
    const [write, rebuild] = planIommu(m).steps;
    expect(write).toMatchObject({
      kind: 'write-file',
      path: '/etc/kernel/cmdline',
      content: 'root=UUID=1 rw quiet iommu=pt\n',
      before: null,
    });
    expect(rebuild).toMatchObject({ kind: 'run', argv: ['dracut', '--regenerate-all', '--force'] });
  });
});
