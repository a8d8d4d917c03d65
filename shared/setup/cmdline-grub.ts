// GRUB with /etc/default/grub: edit GRUB_CMDLINE_LINUX_DEFAULT (normal boot entries only, so recovery
// entries stay plain) or, where GRUB reads BLS snippets (GRUB_ENABLE_BLSCFG=true), GRUB_CMDLINE_LINUX,
// which is the one that reaches those entries. Then the distro's own regeneration command.
import type { HostModel } from '../host/model';
import type { CmdlineChange, CmdlineEdit } from './cmdline-change';
import { editCmdline, missingParams, paramsPresent } from './kernel-cmdline';
import { appendLine, findAssignments, replaceInner } from './shell-assignment';
import { editStep, regenerateStep } from './steps';
import type { RunStep } from '../plan/model';

export const GRUB_DEFAULTS = '/etc/default/grub';

const isDebianFamily = (host: HostModel): boolean =>
  [host.os.id, ...host.os.idLike].some((id) => id === 'debian' || id === 'ubuntu');
const isGrub2Family = (host: HostModel): boolean =>
  [host.os.id, ...host.os.idLike].some(
    (id) => id !== null && /^(fedora|rhel|centos|suse|opensuse.*|sles)$/.test(id),
  );

/** The regeneration the distro documents: update-grub (Debian family), grub2-mkconfig (Fedora/SUSE), grub-mkconfig (Arch and the rest). */
export function grubRegenerate(host: HostModel): RunStep {
  const reason = 'GRUB reads /boot/grub*/grub.cfg, not /etc/default/grub: regenerate it';
  if (isDebianFamily(host) && host.commands.includes('update-grub')) return regenerateStep(['update-grub'], reason);
  if (
    isGrub2Family(host) ||
    (host.commands.includes('grub2-mkconfig') && !host.commands.includes('grub-mkconfig'))
  ) {
    return regenerateStep(['grub2-mkconfig', '-o', '/boot/grub2/grub.cfg'], reason);
  }
  return regenerateStep(['grub-mkconfig', '-o', '/boot/grub/grub.cfg'], reason);
}

export function grubVariable(text: string): 'GRUB_CMDLINE_LINUX' | 'GRUB_CMDLINE_LINUX_DEFAULT' {
  const bls = findAssignments(text, 'GRUB_ENABLE_BLSCFG').at(-1);
  return bls && bls.inner.trim() === 'true' ? 'GRUB_CMDLINE_LINUX' : 'GRUB_CMDLINE_LINUX_DEFAULT';
}

export function grubCmdline(host: HostModel, change: CmdlineChange): CmdlineEdit {
  const text = host.files[GRUB_DEFAULTS];
  if (text === undefined) {
    throw new Error(
      `GRUB was detected but ${GRUB_DEFAULTS} is missing: create it (GRUB_CMDLINE_LINUX_DEFAULT="...") or fix the bootloader detection`,
    );
  }
  const variable = grubVariable(text);
  const where = `${GRUB_DEFAULTS} (${variable})`;
  // Both variables end up on the normal entries' command line, so a parameter in either one counts.
  const effective = ['GRUB_CMDLINE_LINUX', 'GRUB_CMDLINE_LINUX_DEFAULT']
    .map((v) => findAssignments(text, v).at(-1)?.inner ?? '')
    .join(' ');
  const missing = missingParams(effective, change.add);
  let after = text;
  // Strip from every assignment of both variables, last first so offsets stay valid.
  if (change.removeKeys.length > 0) {
    for (const v of ['GRUB_CMDLINE_LINUX', 'GRUB_CMDLINE_LINUX_DEFAULT']) {
      for (const a of findAssignments(after, v).reverse()) {
        if (paramsPresent(a.inner, change.removeKeys).length > 0)
          after = replaceInner(after, a, editCmdline(a.inner, [], change.removeKeys));
      }
    }
  }
  if (missing.length > 0) {
    const last = findAssignments(after, variable).at(-1);
    after = last
      ? replaceInner(after, last, editCmdline(last.inner, missing))
      : appendLine(after, `${variable}="${missing.join(' ')}"`);
  }
  const steps = editStep(GRUB_DEFAULTS, text, after, `${change.purpose}: kernel parameters in ${variable}`);
  return {
    steps: steps.length > 0 ? [...steps, grubRegenerate(host)] : [],
    where,
    warnings: steps.length > 0 ? grubDropInOverrides(host, variable) : [],
  };
}

/** /etc/default/grub.d/*.cfg is read after /etc/default/grub: a plain reassignment there hides our edit. */
function grubDropInOverrides(host: HostModel, variable: string): string[] {
  return Object.keys(host.files)
    .filter((p) => p.startsWith('/etc/default/grub.d/') && p.endsWith('.cfg'))
    .sort()
    .filter((p) =>
      findAssignments(host.files[p] ?? '', variable).some(
        (a) =>
          a.operator === '=' && !a.inner.includes(`$${variable}`) && !a.inner.includes(`\${${variable}}`),
      ),
    )
    .map(
      (p) =>
        `${p} sets ${variable} again after ${GRUB_DEFAULTS}, replacing the edited value: add the same parameters there, or remove that line.`,
    );
}
