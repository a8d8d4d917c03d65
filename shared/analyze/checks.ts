// The readiness checklist: every warn/fail carries a fix a person can follow.
import type { HostModel } from '../host/model';
import type { Check, DoctorReport, GpuReport } from './report';
import { installLibvirtHint, libvirtGroup } from './distro-hints';
import { declarativeSystem } from '../setup/declarative';
import { nixosSnippet } from '../setup/nixos-snippet';
import { cmdlineMistakes } from './cmdline-mistakes';
import { tokenize } from '../setup/kernel-cmdline';
import { isIntelIgpu } from './pci-class';
import { currentUser } from '../host/current-user';

const pass = (id: string, message: string): Check => ({ id, status: 'pass', message, fix: null });
const warn = (id: string, message: string, fix: string): Check => ({ id, status: 'warn', message, fix });
const fail = (id: string, message: string, fix: string): Check => ({ id, status: 'fail', message, fix });

function iommuParam(model: HostModel): string {
  // The AMD IOMMU is on by default; `amd_iommu=on` is not a value the kernel knows.
  return model.cpu.vendor === 'amd' ? 'iommu=pt` (and remove any `amd_iommu=off`' : 'intel_iommu=on iommu=pt';
}

function firmwareName(model: HostModel): string {
  return model.cpu.vendor === 'amd' ? 'AMD-Vi/IOMMU (often "SVM" and "IOMMU")' : 'VT-d';
}

function cpuChecks(model: HostModel): Check[] {
  const virt = model.cpu.vendor === 'amd' ? 'AMD-V (SVM)' : 'VT-x';
  return [
    model.cpu.virtualization
      ? pass(
          'cpu-virtualization',
          `The CPU offers hardware virtualization (${model.cpu.flags.includes('svm') ? 'svm' : 'vmx'}).`,
        )
      : fail(
          'cpu-virtualization',
          'The CPU does not report vmx or svm: hardware virtualization is missing or disabled.',
          `Enable ${virt} in the firmware (BIOS/UEFI) setup, then boot again.`,
        ),
    model.cpu.kvmDevice
      ? pass('kvm-device', '/dev/kvm exists: KVM is usable.')
      : fail(
          'kvm-device',
          '/dev/kvm is missing: KVM is not loaded.',
          `Load it with \`sudo modprobe ${model.cpu.vendor === 'amd' ? 'kvm_amd' : 'kvm_intel'}\`; if that fails, enable ${virt} in the firmware setup.`,
        ),
  ];
}

function iommuChecks(model: HostModel, state: DoctorReport['iommu']['state'], groups: number): Check[] {
  switch (state) {
    case 'on':
      return [pass('iommu-enabled', `The IOMMU is on (${groups} groups).`)];
    case 'off-in-kernel':
      return [
        fail(
          'iommu-enabled',
          `The firmware has an IOMMU (${model.iommu.firmwareTable} table) but the kernel did not enable it.`,
          `Add \`${iommuParam(model)}\` to the kernel command line (GPU Ferry's setup can do this for ${model.bootloader.kind === 'unknown' ? 'known bootloaders' : model.bootloader.kind}), then reboot.`,
        ),
      ];
    case 'off-in-firmware':
      return [
        fail(
          'iommu-enabled',
          'The firmware exposes no IOMMU (no ACPI DMAR/IVRS table).',
          `Enable ${firmwareName(model)} in the firmware (BIOS/UEFI) setup, then boot again and re-run \`gpu-ferry doctor\`.`,
        ),
      ];
    default:
      return [
        warn(
          'iommu-enabled',
          'The IOMMU state could not be read.',
          'Run `gpu-ferry doctor` on the machine itself (not in a container), with /sys mounted.',
        ),
      ];
  }
}

/**
 * A shared group matters only for a GPU that would go to a VM: in dual-GPU mode the GPUs that are not
 * passed through, and an integrated GPU (it cannot move slots), stay with the host, group and all.
 */
function isolationCheck(g: GpuReport, rec: DoctorReport['recommendation']): Check {
  const id = `isolation:${g.address}`;
  const shares = `${g.name} (${g.address}) shares IOMMU group ${g.iommuGroup} with ${g.groupPeers.join(', ')}`;
  // In dual-GPU mode every GPU but the one passed through stays with the host, group and all.
  if (rec.mode === 'dual-gpu' && rec.gpu !== g.address)
    return pass(id, `${shares}; it stays with the host (another GPU goes to the VM), so that is fine.`);
  if (g.integrated)
    return warn(
      id,
      `${shares}: the integrated GPU cannot be passed through without those devices.`,
      'Keep the integrated GPU for the host; an integrated GPU cannot move to another slot. Where the GPU supports SR-IOV, a virtual function with its own group can go to the VM instead.',
    );
  return warn(
    id,
    `${shares}.`,
    'Move the card to another slot (usually the first, CPU-connected x16 slot), or update the firmware; the ACS override patch can split groups but weakens isolation between devices.',
  );
}

/** i915.max_vfs on the command line but no SR-IOV on the iGPU: the in-kernel i915 ignores it. */
function igpuSriovChecks(model: HostModel): Check[] {
  const asked = tokenize(model.kernel.cmdline ?? '').some((t) => /^(i915|xe)\.max_vfs$/.test(t.key));
  const igpu = model.pci.find(isIntelIgpu);
  if (!asked || !igpu || (igpu.sriovTotalVfs ?? 0) > 0) return [];
  return [
    warn(
      'igpu-sriov',
      `The kernel command line asks for SR-IOV virtual functions, but the iGPU (${igpu.driver ?? 'no driver'}) offers none.`,
      igpu.driver === 'xe'
        ? 'The xe driver has SR-IOV only on GPUs where Intel enabled it; on this iGPU no VF can be created.'
        : "The i915 driver in the kernel has no SR-IOV for 12th-14th gen iGPUs: install the out-of-tree i915 SR-IOV module (i915-sriov-dkms) with your distribution's DKMS, reboot, and run the doctor again.",
    ),
  ];
}

function gpuChecks(model: HostModel, gpus: GpuReport[], rec: DoctorReport['recommendation']): Check[] {
  if (gpus.length === 0) {
    return [
      fail(
        'gpu-present',
        'No GPU (PCI display-class device) was found on this machine.',
        'GPU passthrough needs a physical GPU: install one, or run GPU Ferry on the machine that has it.',
      ),
    ];
  }
  const checks: Check[] = [pass('gpu-present', `${gpus.length} GPU${gpus.length > 1 ? 's' : ''} found.`)];
  for (const g of gpus) {
    if (g.isolation === 'shared') checks.push(isolationCheck(g, rec));
    if (g.displayOutputs === false) {
      checks.push(
        warn(
          `no-outputs:${g.address}`,
          `${g.name} (${g.address}) is a 3D controller with no display outputs (typical of an Optimus laptop).`,
          'Plan to see the VM through Looking Glass (install looking-glass-client and the kvmfr module) or a remote desktop; a physical monitor cannot be attached to this GPU.',
        ),
      );
    }
    if (g.identicalIdsWith?.length) {
      checks.push(
        warn(
          `identical-ids:${g.address}`,
          `${g.name} (${g.address}) has the same vendor:device ids as ${g.identicalIdsWith.join(', ')}.`,
          "Do not use `vfio-pci.ids=` for this id (it would take every card): bind by address with driver_override, which GPU Ferry's setup does.",
        ),
      );
    }
  }
  for (const g of gpus) {
    if (g.sriov && g.sriov.numVfs === 0) {
      checks.push(
        warn(
          `sriov:${g.address}`,
          `${g.name} (${g.address}) can create up to ${g.sriov.totalVfs} SR-IOV virtual functions, but none exist: a VM could get a slice of this GPU while the host keeps it.`,
          `Create one now and at every boot (a udev rule) with \`gpu-ferry apply sriov-vfs --device ${g.address} --count 1\` (README, SR-IOV); each VF then appears as its own GPU here.`,
        ),
      );
    }
  }
  if (rec.mode === 'none' && gpus.every((g) => g.integrated))
    checks.push(
      warn(
        'integrated-only',
        'The only GPU is integrated into the processor: it stays with the host, so there is no GPU to pass through.',
        'Add a discrete GPU (a desktop slot, or an external one over Thunderbolt/USB4 or OCuLink); until then a VM can use virtual graphics, and an Intel iGPU with SR-IOV can give a VM a virtual function.',
      ),
    );
  checks.push(...igpuSriovChecks(model));
  const chosen = gpus.find((g) => g.address === rec.gpu);
  if (chosen) {
    checks.push(
      chosen.resetMethods && chosen.resetMethods.length === 0
        ? warn(
            `reset:${chosen.address}`,
            `${chosen.name} (${chosen.address}) reports no reset method: it may not come back cleanly after a VM run.`,
            'Check for a vendor-reset module for this card (AMD Polaris/Vega/Navi 10), and avoid restarting the VM without a host reboot if it hangs.',
          )
        : pass(
            `reset:${chosen.address}`,
            `${chosen.name} can be reset (${(chosen.resetMethods ?? []).join(', ') || 'unknown'}).`,
          ),
    );
  }
  return checks;
}

function kernelParamsCheck(model: HostModel): Check {
  const mistakes = cmdlineMistakes(model.kernel.cmdline);
  if (mistakes.length === 0)
    return pass('kernel-params', 'No mistyped passthrough parameters on the kernel command line.');
  return warn(
    'kernel-params',
    mistakes.map((m) => m.problem).join(' '),
    mistakes
      .map((m) => (m.instead ? `replace "${m.written}" with "${m.instead}"` : `remove "${m.written}"`))
      .join('; ') + ' in your bootloader configuration, then reboot.',
  );
}

function vfioCheck(model: HostModel): Check {
  const k = model.kernel;
  if (k.builtin.includes('vfio_pci'))
    return pass(
      'vfio-pci',
      'vfio-pci is built into the kernel: GPUs are bound by driver_override early in boot (no initramfs module needed).',
    );
  if (k.modules.includes('vfio_pci')) return pass('vfio-pci', 'The vfio-pci module is loaded.');
  if (k.available.includes('vfio_pci')) return pass('vfio-pci', 'The vfio-pci module is installed.');
  if (k.available.length === 0)
    return warn(
      'vfio-pci',
      'Could not tell whether the vfio-pci module is installed (no modules.dep).',
      `Check with \`modinfo vfio-pci\`; install your distribution's standard kernel if it is missing.`,
    );
  return fail(
    'vfio-pci',
    'The vfio-pci module is neither built in nor installed for this kernel.',
    "Boot your distribution's standard kernel, which ships vfio-pci.",
  );
}

function initramfsCheck(model: HostModel): Check {
  const declarative = declarativeSystem(model);
  if (declarative)
    return pass(
      'initramfs',
      `${declarative === 'nixos' ? 'NixOS' : 'Guix System'} builds the initrd from its configuration (boot.initrd.kernelModules on NixOS).`,
    );
  return model.initramfs !== 'none' && model.initramfs !== 'unknown'
    ? pass('initramfs', `Initramfs generator: ${model.initramfs}.`)
    : warn(
        'initramfs',
        'No initramfs generator was found.',
        'Early vfio-pci binding needs mkinitcpio, dracut, initramfs-tools or booster; without one, GPU Ferry binds the GPU after boot instead.',
      );
}

/** On NixOS / Guix System: what to declare, since GPU Ferry edits no generated file there. */
function declarativeCheck(model: HostModel, rec: DoctorReport['recommendation']): Check[] {
  const system = declarativeSystem(model);
  if (!system) return [];
  return [
    warn(
      'declarative-system',
      `${system === 'nixos' ? 'NixOS' : 'Guix System'} generates its boot entries, initrd and most of /etc from its configuration: GPU Ferry's setup plans change none of those files and show what to declare instead.`,
      `Add to /etc/nixos/configuration.nix${system === 'guix' ? ' (on Guix, the same in config.scm)' : ''}, then \`sudo nixos-rebuild boot\` and restart:\n\n${nixosSnippet(model, null, rec.mode === 'dual-gpu' ? { gpu: rec.gpu } : null, null)}`,
    ),
  ];
}

function systemChecks(model: HostModel, rec: DoctorReport['recommendation']): Check[] {
  const checks: Check[] = [];
  checks.push(
    model.libvirt.virsh
      ? pass('libvirt', `libvirt is installed${model.libvirt.version ? ` (${model.libvirt.version})` : ''}.`)
      : fail(
          'libvirt',
          'libvirt (virsh) is not installed: GPU Ferry runs the VM through libvirt.',
          installLibvirtHint(model.os),
        ),
  );
  checks.push(
    model.bootloader.kind !== 'unknown'
      ? pass('bootloader', `Bootloader: ${model.bootloader.kind}.`)
      : warn(
          'bootloader',
          'The bootloader was not recognised: GPU Ferry cannot change kernel parameters for you.',
          "Add kernel parameters by hand in your bootloader's configuration; GPU Ferry shows which ones.",
        ),
  );
  checks.push(initramfsCheck(model));
  if (rec.mode === 'single-gpu') {
    const dm = model.displayManager;
    checks.push(
      dm.kind !== 'none' && dm.kind !== 'other'
        ? pass(
            'display-manager',
            `Display manager: ${dm.unit}; it is stopped during the handoff and started again after.`,
          )
        : warn(
            'display-manager',
            dm.unit
              ? `Display manager ${dm.unit} is not one GPU Ferry knows.`
              : 'No display-manager.service was found.',
            'Single-GPU handoff stops and restarts the display manager: log in through gdm, sddm, lightdm, greetd, ly, lxdm or xdm, or stop your session by hand before starting the VM.',
          ),
    );
  }
  if (rec.mode === 'dual-gpu') {
    checks.push(
      model.lookingGlass.client
        ? pass('looking-glass', `Looking Glass client found (${model.lookingGlass.clientPath}).`)
        : warn(
            'looking-glass',
            'The Looking Glass client is not installed: the VM can only be seen on a monitor attached to the passed-through GPU.',
            "Install looking-glass-client and the kvmfr module (GPU Ferry's Looking Glass setup explains how).",
          ),
    );
  }
  const user = currentUser(model);
  if (user) {
    const wanted = ['kvm', libvirtGroup(model.os)];
    const missing = wanted.filter((g) => !user.groups.includes(g));
    const nixos = declarativeSystem(model) === 'nixos';
    checks.push(
      missing.length === 0
        ? pass('user-groups', `${user.name} is in the ${wanted.join(' and ')} groups.`)
        : warn(
            'user-groups',
            `${user.name} is not in the ${missing.join(' and ')} group${missing.length > 1 ? 's' : ''}.`,
            nixos
              ? `Declare \`users.users.${user.name}.extraGroups = [ ${wanted.map((g) => `"${g}"`).join(' ')} ];\` in /etc/nixos/configuration.nix, run \`sudo nixos-rebuild switch\`, then log out and in again.`
              : `sudo usermod -aG ${missing.join(',')} ${user.name}, then log out and in again.`,
          ),
    );
  }
  return checks;
}

export function buildChecks(model: HostModel, report: Omit<DoctorReport, 'checks'>): Check[] {
  return [
    ...cpuChecks(model),
    ...iommuChecks(model, report.iommu.state, report.iommu.groups),
    ...gpuChecks(model, report.gpus, report.recommendation),
    kernelParamsCheck(model),
    vfioCheck(model),
    ...systemChecks(model, report.recommendation),
    ...declarativeCheck(model, report.recommendation),
  ];
}
