// One entry point for "change the kernel command line": dispatches on the bootloader the scanner found.
import type { HostModel } from '../host/model';
import type { CmdlineChange, CmdlineEdit } from './cmdline-change';
import { grubCmdline } from './cmdline-grub';
import { limineCmdline } from './cmdline-limine';
import { refindCmdline } from './cmdline-refind';
import { systemdBootCmdline } from './cmdline-systemd-boot';
import { grubbyCmdline, kernelstubCmdline, rpmOstreeCmdline } from './cmdline-tools';

export function planCmdline(host: HostModel, change: CmdlineChange): CmdlineEdit {
  switch (host.bootloader.kind) {
    case 'grub':
      return grubCmdline(host, change);
    case 'grubby-bls':
      return grubbyCmdline(host, change);
    case 'systemd-boot':
      return systemdBootCmdline(host, change);
    case 'kernelstub':
      return kernelstubCmdline(host, change);
    case 'refind':
      return refindCmdline(host, change);
    case 'limine':
      return limineCmdline(host, change);
    case 'rpm-ostree':
      return rpmOstreeCmdline(host, change);
    case 'unknown':
      throw new Error(
        `GPU Ferry could not tell which bootloader this machine uses (looked for ${host.bootloader.evidence.join(', ') || 'GRUB, systemd-boot, rEFInd, Limine, kernelstub, grubby, rpm-ostree'}); add these kernel parameters by hand: ${change.add.join(' ')}`,
      );
  }
}
