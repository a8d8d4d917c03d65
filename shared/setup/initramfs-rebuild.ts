// The command that rebuilds every initramfs (and unified kernel image) with the generator this machine uses:
// all kernels and presets, not only the running one, so the next kernel update cannot lose the change.
import type { HostModel } from '../host/model';
import type { RunStep } from '../plan/model';
import { runStep } from './steps';

/** The command that rebuilds UKIs (and initramfs images) with the generator this machine uses. */
export function initramfsRebuild(host: HostModel, reason: string): RunStep | null {
  // rpm-ostree boots the initramfs the distro built; the kernel command line carries what it needs.
  if (host.bootloader.kind === 'rpm-ostree') return null;
  switch (host.initramfs) {
    case 'mkinitcpio':
      return runStep(['mkinitcpio', '-P'], reason);
    case 'dracut':
      return runStep(['dracut', '--regenerate-all', '--force'], reason);
    case 'initramfs-tools':
      return runStep(['update-initramfs', '-u', '-k', 'all'], reason);
    case 'booster':
      return runStep(['/usr/lib/booster/regenerate_images'], reason);
    default:
      return null;
  }
}

