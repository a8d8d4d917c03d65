// Bootloader, initramfs generator and display manager, decided from configuration files (already read
// into `files`), the commands present and os-release. Order matters: the most specific evidence wins.
import type {
  BootloaderInfo,
  DisplayManagerInfo,
  DisplayManagerKind,
  InitramfsKind,
  OsRelease,
} from '../../shared/host/model';
import { ESP_PATHS } from './config-files';
import type { HostReader } from './reader';

const OSTREE_VARIANTS =
  /^(silverblue|kinoite|sericea|onyx|cosmic-atomic|sway-atomic|budgie-atomic|iot|coreos)$/;
const OSTREE_IDS = /^(bazzite|bluefin|aurora|ublue|fedora-coreos)$/;

export function isRpmOstree(os: OsRelease, ostreeBooted: boolean): boolean {
  return (
    ostreeBooted ||
    OSTREE_VARIANTS.test(os.variantId ?? '') ||
    OSTREE_IDS.test(os.id ?? '') ||
    /bazzite/i.test(os.name ?? '')
  );
}

/** kernelstub keeps its ESP in JSON: user settings override the defaults. */
function kernelstubEsp(text: string): string | null {
  try {
    const config = JSON.parse(text) as { user?: { esp_path?: unknown }; default?: { esp_path?: unknown } };
    const esp = config.user?.esp_path ?? config.default?.esp_path;
    return typeof esp === 'string' ? esp : null;
  } catch {
    return null;
  }
}

export function detectBootloader(
  r: HostReader,
  files: Record<string, string>,
  commands: Map<string, string>,
  os: OsRelease,
): BootloaderInfo {
  const has = (p: string) => p in files;
  const result = (
    kind: BootloaderInfo['kind'],
    evidence: string[],
    espPath: string | null = null,
    uki = false,
  ): BootloaderInfo => ({
    kind,
    evidence,
    espPath,
    uki,
  });
  const ostreeBooted = r.exists('/run/ostree-booted');
  if (isRpmOstree(os, ostreeBooted)) {
    return result('rpm-ostree', [ostreeBooted ? '/run/ostree-booted' : '/etc/os-release']);
  }
  if (has('/etc/kernelstub/configuration')) {
    return result(
      'kernelstub',
      ['/etc/kernelstub/configuration'],
      kernelstubEsp(files['/etc/kernelstub/configuration'] ?? ''),
    );
  }
  for (const esp of ESP_PATHS) {
    const conf = [`${esp}/limine.conf`, `${esp}/limine/limine.conf`, `${esp}/EFI/limine/limine.conf`].find(
      has,
    );
    if (conf)
      return result('limine', has('/etc/default/limine') ? ['/etc/default/limine', conf] : [conf], esp);
  }
  if (has('/etc/default/limine')) return result('limine', ['/etc/default/limine']);
  for (const esp of ESP_PATHS) {
    const conf = [`${esp}/refind_linux.conf`, `${esp}/EFI/refind/refind.conf`].find(has);
    if (conf) return result('refind', [conf], esp);
  }
  for (const esp of ESP_PATHS) {
    if (has(`${esp}/loader/loader.conf`)) {
      const entries = Object.keys(files).filter((p) => p.startsWith(`${esp}/loader/entries/`));
      const ukis = r.list(`${esp}/EFI/Linux`)?.filter((f) => f.endsWith('.efi')) ?? [];
      const uki = ukis.length > 0 || has('/etc/kernel/uki.conf');
      const evidence = [
        `${esp}/loader/loader.conf`,
        ...entries,
        ...(has('/etc/kernel/cmdline') ? ['/etc/kernel/cmdline'] : []),
      ];
      return result('systemd-boot', evidence, esp, uki);
    }
  }
  const blsEntries = Object.keys(files).filter((p) => /^\/boot\/loader\/entries\/[^/]+\.conf$/.test(p));
  if (commands.has('grubby') && (blsEntries.length > 0 || has('/etc/default/grub'))) {
    return result('grubby-bls', [...(has('/etc/default/grub') ? ['/etc/default/grub'] : []), ...blsEntries]);
  }
  if (
    has('/etc/default/grub') ||
    commands.has('grub-mkconfig') ||
    commands.has('grub2-mkconfig') ||
    commands.has('update-grub')
  ) {
    return result('grub', has('/etc/default/grub') ? ['/etc/default/grub'] : []);
  }
  if (commands.has('bootctl') && blsEntries.length > 0) return result('systemd-boot', blsEntries, '/boot');
  return result('unknown', []);
}

export function detectInitramfs(
  files: Record<string, string>,
  commands: Map<string, string>,
  rpmOstree: boolean,
): InitramfsKind {
  const has = (p: string) => p in files;
  if (rpmOstree) return 'dracut';
  if (commands.has('booster') && !commands.has('mkinitcpio') && !commands.has('dracut')) return 'booster';
  if (commands.has('mkinitcpio') || has('/etc/mkinitcpio.conf')) return 'mkinitcpio';
  if (commands.has('dracut')) return 'dracut';
  if (commands.has('update-initramfs') || has('/etc/initramfs-tools/modules')) return 'initramfs-tools';
  if (commands.has('booster') || has('/etc/booster.yaml')) return 'booster';
  if (has('/etc/dracut.conf') || Object.keys(files).some((p) => p.startsWith('/etc/dracut.conf.d/')))
    return 'dracut';
  return 'none';
}

const DM_UNITS: Record<string, DisplayManagerKind> = {
  gdm: 'gdm',
  gdm3: 'gdm',
  sddm: 'sddm',
  'sddm-plasma': 'sddm',
  lightdm: 'lightdm',
  greetd: 'greetd',
  ly: 'ly',
  lxdm: 'lxdm',
  xdm: 'xdm',
};

export function detectDisplayManager(r: HostReader): DisplayManagerInfo {
  const target = r.link('/etc/systemd/system/display-manager.service');
  if (target === null) return { kind: 'none', unit: null };
  const unit = target.split('/').pop() ?? target;
  return { kind: DM_UNITS[unit.replace(/\.service$/, '')] ?? 'other', unit };
}
