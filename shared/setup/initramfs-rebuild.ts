// The command that rebuilds every initramfs (and unified kernel image) with the generator this machine uses:
// all kernels and presets, not only the running one, so the next kernel update cannot lose the change.
import type { HostModel } from '../host/model';
import type { RunStep } from '../plan/model';
import { regenerateStep } from './steps';

/** The command that rebuilds UKIs (and initramfs images) with the generator this machine uses. */
export function initramfsRebuild(host: HostModel, reason: string): RunStep | null {
  // rpm-ostree boots the initramfs the distro built; the kernel command line carries what it needs.
  if (host.bootloader.kind === 'rpm-ostree') return null;
  switch (host.initramfs) {
    case 'mkinitcpio':
      return regenerateStep(['mkinitcpio', '-P'], reason);
    case 'dracut':
      return regenerateStep(['dracut', '--regenerate-all', '--force'], reason);
    case 'initramfs-tools':
      return regenerateStep(['update-initramfs', '-u', '-k', 'all'], reason);
    case 'booster': {
      // Arch's booster package rebuilds images from a pacman hook script that is not on PATH; build the
      // running kernel's image by its package name (6.12.4-zen1-1-zen → booster-linux-zen.img).
      const release = host.kernel.release;
      if (release === null) return null;
      const flavour = /-(lts|zen|hardened|rt|rt-lts)$/.exec(release)?.[1];
      return regenerateStep(
        [
          'booster',
          'build',
          '--force',
          '--kernel-version',
          release,
          `/boot/booster-linux${flavour ? `-${flavour}` : ''}.img`,
        ],
        reason,
      );
    }
    default:
      return null;
  }
}
