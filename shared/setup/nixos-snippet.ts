// The configuration.nix lines that declare what a plan would have written on another distribution:
// kernel parameters, vfio-pci in the initrd, libvirtd and the handoff hook, the kvmfr module, groups.
import { currentUser } from '../host/current-user';
import type { HostModel } from '../host/model';
import type { Plan } from '../plan/model';
import { iommuParams } from './iommu-params';
import { slotFunctions } from './host-facts';

const nixString = (s: string) => JSON.stringify(s);
const nixList = (items: string[]) => `[ ${items.map(nixString).join(' ')} ]`;

/** A number a plan wrote into one of its files (`vm.nr_hugepages = 8`, `static_size_mb=64`). */
function fromPlan(plan: Plan | null, pattern: RegExp): string | null {
  for (const step of plan?.steps ?? []) {
    const text = step.kind === 'write-file' ? step.content : step.kind === 'edit-file' ? step.after : '';
    const m = pattern.exec(text);
    if (m?.[1]) return m[1];
  }
  return null;
}

function vfioLines(host: HostModel, gpu: string): string[] {
  const functions = slotFunctions(host, gpu).map((d) => d.address);
  return [
    `  # vfio-pci claims ${functions.join(', ')} in the initrd, by address, before any graphics driver.`,
    `  boot.initrd.kernelModules = ${nixList(['vfio_pci', 'vfio', 'vfio_iommu_type1'])};`,
    "  boot.initrd.preDeviceCommands = ''",
    `    for dev in ${functions.join(' ')}; do`,
    '      echo vfio-pci > /sys/bus/pci/devices/$dev/driver_override',
    '      echo $dev > /sys/bus/pci/drivers_probe',
    '    done',
    "  '';",
  ];
}

function kvmfrLines(host: HostModel, sizeMiB: string, user: string): string[] {
  return [
    `  # Looking Glass shared memory: the kvmfr module with ${sizeMiB} MiB, usable by ${user} and QEMU.`,
    '  boot.extraModulePackages = [ config.boot.kernelPackages.kvmfr ];',
    `  boot.kernelModules = ${nixList(['kvmfr'])};`,
    `  boot.extraModprobeConfig = ${nixString(`options kvmfr static_size_mb=${sizeMiB}`)};`,
    `  services.udev.extraRules = ''SUBSYSTEM=="kvmfr", OWNER="${user}", GROUP="kvm", MODE="0660"'';`,
    "  virtualisation.libvirtd.qemu.verbatimConfig = ''",
    '    cgroup_device_acl = [ "/dev/null", "/dev/full", "/dev/zero", "/dev/random", "/dev/urandom",',
    '      "/dev/ptmx", "/dev/kvm", "/dev/kvmfr0" ]',
    "  '';",
  ];
}

const LIBVIRT_LINES = [
  '  # libvirt with UEFI and a TPM for Windows 11.',
  '  virtualisation.libvirtd.enable = true;',
  '  virtualisation.libvirtd.qemu.swtpm.enable = true;',
];

const HOOK_LINES = [
  "  # GPU Ferry's libvirt hook and handoff runtime (`gpu-ferry plan hook-install` shows both files):",
  '  # save them beside this file. They start with #!/bin/bash, which NixOS does not have, hence the wrappers.',
  '  virtualisation.libvirtd.hooks.qemu."gpu-ferry" =',
  '    pkgs.writeShellScript "gpu-ferry-hook" (builtins.readFile ./gpu-ferry-hook);',
  '  systemd.tmpfiles.rules = [',
  '    "L+ /usr/libexec/gpu-ferry/gpu-ferry-handoff - - - - ${pkgs.writeShellScript "gpu-ferry-handoff" (builtins.readFile ./gpu-ferry-handoff)}"',
  '  ];',
];

/** A udev rule the plan would have written, declared instead (the SR-IOV boot rule, display-off's GNOME rule). */
function udevLines(plan: Plan | null, what: string): string[] {
  const rules = (plan?.steps ?? []).flatMap((s) =>
    s.kind === 'write-file' && s.path.startsWith('/etc/udev/rules.d/') ? [s.content] : [],
  );
  if (rules.length === 0)
    return [`  # Remove the ${what} udev rule (services.udev.extraRules) you added before.`];
  const body = rules
    .join('')
    .split('\n')
    .filter((l) => l !== '' && !l.startsWith('#'));
  return [
    `  # ${what}.`,
    "  services.udev.extraRules = ''",
    ...body.map((l) => `    ${l}`),
    "  '';",
  ];
}

/** display-off-vm-gpu: Xorg adds no second GPU (NixOS writes the ServerFlags section itself). */
function displayOffLines(plan: Plan | null, gpu: unknown): string[] {
  if (typeof gpu !== 'string')
    return ['  # Remove services.xserver.serverFlagsSection and the mutter-device-ignore udev rule you added before.'];
  return [
    `  # Keep the Linux desktop off the VM's GPU ${gpu}: Xorg adds no second GPU.`,
    "  services.xserver.serverFlagsSection = ''",
    '    Option "AutoAddGPU" "false"',
    "  '';",
    ...udevLines(plan, 'GNOME (mutter) leaves that GPU alone'),
  ];
}

// The libvirtd group is as good as root: only the person GPU Ferry advises joins it, no other account.
const groupLines = (host: HostModel): string[] => {
  const user = currentUser(host);
  return user ? [`  users.users.${user.name}.extraGroups = ${nixList(['libvirtd', 'kvm'])};`] : [];
};

/**
 * The snippet for one goal's plan (with its options), or for the whole setup when `goal` is null
 * (the doctor's advice), as a complete NixOS module.
 */
export function nixosSnippet(
  host: HostModel,
  goal: string | null,
  options: unknown,
  plan: Plan | null,
): string {
  const gpu = (options as { gpu?: unknown } | null)?.gpu;
  const user = currentUser(host)?.name ?? 'YOUR-USER';
  const all = goal === null;
  const lines: string[] = [];
  const params = goal === 'iommu' || all ? iommuParams(host) : [];
  const pages = goal === 'hugepages' ? fromPlan(plan, /vm\.nr_hugepages\s*=\s*(\d+)/) : null;
  if (params.length > 0)
    lines.push('  # The IOMMU on, for passthrough.', `  boot.kernelParams = ${nixList(params)};`);
  if (pages)
    lines.push(
      '  # Huge pages reserved for VM memory.',
      `  boot.kernel.sysctl."vm.nr_hugepages" = ${pages};`,
    );
  if ((goal === 'vfio-early' || all) && typeof gpu === 'string') lines.push(...vfioLines(host, gpu));
  if (goal === 'vfio-early' && typeof gpu !== 'string')
    lines.push(
      '  # Remove the vfio-pci lines (boot.initrd.preDeviceCommands, vfio-pci.ids) you added before.',
    );
  if (all || goal === 'hook-install') lines.push(...LIBVIRT_LINES, ...HOOK_LINES);
  if (all || goal === 'looking-glass')
    lines.push(...kvmfrLines(host, fromPlan(plan, /static_size_mb=(\d+)/) ?? '64', user));
  if (goal === 'sriov-vfs') lines.push(...udevLines(plan, 'SR-IOV virtual functions at every boot'));
  if (goal === 'display-off-vm-gpu') lines.push(...displayOffLines(plan, gpu));
  if (all) lines.push(...groupLines(host));
  if (lines.length === 0) lines.push(`  # Nothing to declare for ${goal}.`);
  return ['{ config, pkgs, ... }:', '{', ...lines, '}'].join('\n');
}
