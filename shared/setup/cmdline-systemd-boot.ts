// systemd-boot. With unified kernel images the command line is baked into the UKI from
// /etc/kernel/cmdline, so edit that and rebuild the images; without UKIs edit the `options` line of
// every Linux entry under the ESP's loader/entries/ (and /etc/kernel/cmdline too when it exists,
// because kernel-install copies it into the entries it writes for future kernels).
import type { HostModel } from '../host/model';
import type { Step } from '../plan/model';
import { bootsLinux, editEntryOptions, entryOptions } from './bls-entry';
import { filesUnder, type CmdlineChange, type CmdlineEdit } from './cmdline-change';
import { editCmdline, missingParams, tokenize } from './kernel-cmdline';
import { initramfsRebuild } from './initramfs-rebuild';
import { editStep, writeStep } from './steps';

export const KERNEL_CMDLINE_FILE = '/etc/kernel/cmdline';

/** /proc/cmdline without what the bootloader adds itself, as the starting point of a new /etc/kernel/cmdline. */
const runningCmdline = (host: HostModel): string =>
  tokenize(host.kernel.cmdline ?? '')
    .filter((t) => !['BOOT_IMAGE', 'initrd'].includes(t.key))
    .map((t) => t.text)
    .join(' ');

function kernelCmdlineFile(host: HostModel, change: CmdlineChange, createIfMissing: boolean): Step[] {
  const current = host.files[KERNEL_CMDLINE_FILE];
  if (current === undefined) {
    if (!createIfMissing) return [];
    // mkinitcpio and ukify fall back to /proc/cmdline when the file is missing: start from that.
    const base = runningCmdline(host);
    const edited = editCmdline(base, change.add, change.removeKeys);
    if (edited === base) return [];
    return writeStep(
      KERNEL_CMDLINE_FILE,
      `${edited}\n`,
      null,
      `${change.purpose}: the command line built into the unified kernel images`,
    );
  }
  return editStep(
    KERNEL_CMDLINE_FILE,
    current,
    editCmdline(current, change.add, change.removeKeys),
    `${change.purpose}: the command line built into kernel images and new entries`,
  );
}

export function systemdBootCmdline(host: HostModel, change: CmdlineChange): CmdlineEdit {
  if (host.bootloader.uki) {
    const steps = kernelCmdlineFile(host, change, true);
    const rebuild = initramfsRebuild(
      host,
      'the command line is part of each unified kernel image: rebuild them',
    );
    const warnings =
      steps.length > 0 && !rebuild
        ? [
            `Rebuild your unified kernel images after this change (no known generator found): the new ${KERNEL_CMDLINE_FILE} takes effect only then.`,
          ]
        : [];
    return {
      steps: steps.length > 0 && rebuild ? [...steps, rebuild] : steps,
      where: KERNEL_CMDLINE_FILE,
      warnings,
    };
  }
  const esp = host.bootloader.espPath ?? '/boot';
  const entries = filesUnder(host.files, `${esp}/loader/entries`, '.conf').filter((p) =>
    bootsLinux(host.files[p] ?? ''),
  );
  if (entries.length === 0)
    throw new Error(`systemd-boot was detected but no Linux entry was found under ${esp}/loader/entries/`);
  const steps: Step[] = entries.flatMap((path) => {
    const text = host.files[path] ?? '';
    return editStep(
      path,
      text,
      editEntryOptions(text, missingParams(entryOptions(text), change.add), change.removeKeys),
      `${change.purpose}: the options line of this boot entry`,
    );
  });
  steps.push(...kernelCmdlineFile(host, change, false));
  return { steps, where: `${esp}/loader/entries/*.conf`, warnings: [] };
}
