// Limine. Where /etc/default/limine exists (CachyOS and Arch's limine-mkinitcpio-hook / limine-entry-tool)
// the entries are generated from KERNEL_CMDLINE[default] there: edit it and regenerate; otherwise edit
// the `cmdline:` lines of limine.conf itself (nothing regenerates it).
import type { HostModel } from '../host/model';
import type { Step } from '../plan/model';
import type { CmdlineChange, CmdlineEdit } from './cmdline-change';
import { editCmdline, missingParams } from './kernel-cmdline';
import { appendLine, findAssignments, replaceInner } from './shell-assignment';
import { editStep, regenerateStep } from './steps';

export const LIMINE_DEFAULTS = '/etc/default/limine';
const VARIABLE = 'KERNEL_CMDLINE[default]';

export const limineConfigs = (host: HostModel): string[] =>
  Object.keys(host.files)
    .filter((p) => /\/limine\.conf$/.test(p))
    .sort();

function editDefaults(text: string, change: CmdlineChange): string {
  // `+=` lines accumulate, so every assignment counts for what is already there.
  const effective = findAssignments(text, VARIABLE)
    .map((a) => a.inner)
    .join(' ');
  const missing = missingParams(effective, change.add);
  let out = text;
  for (const a of findAssignments(out, VARIABLE).reverse()) {
    const edited = editCmdline(a.inner, [], change.removeKeys);
    if (edited !== a.inner) out = replaceInner(out, a, edited);
  }
  if (missing.length === 0) return out;
  const last = findAssignments(out, VARIABLE).at(-1);
  return last
    ? replaceInner(out, last, editCmdline(last.inner, missing))
    : appendLine(out, `${VARIABLE}+="${missing.join(' ')}"`);
}

/** `cmdline: ...` (limine.conf, v8+) and the older `CMDLINE=` / `KERNEL_CMDLINE=` lines. */
export const editLimineConf = (text: string, change: CmdlineChange): string =>
  text.replace(
    /^([ \t]*(?:(?:kernel_)?cmdline:[ \t]*|(?:KERNEL_)?CMDLINE=))([^\n]*)$/gim,
    (_m, head: string, options: string) => {
      return head + editCmdline(options, missingParams(options, change.add), change.removeKeys);
    },
  );

export function limineCmdline(host: HostModel, change: CmdlineChange): CmdlineEdit {
  const defaults = host.files[LIMINE_DEFAULTS];
  if (defaults !== undefined) {
    const steps: Step[] = editStep(
      LIMINE_DEFAULTS,
      defaults,
      editDefaults(defaults, change),
      `${change.purpose}: ${VARIABLE}, from which the Limine entries are generated`,
    );
    const regenerate = host.commands.includes('limine-update') ? 'limine-update' : 'limine-mkinitcpio';
    if (steps.length > 0)
      steps.push(
        regenerateStep([regenerate], 'Limine entries are generated from /etc/default/limine: regenerate them'),
      );
    return { steps, where: `${LIMINE_DEFAULTS} (${VARIABLE})`, warnings: [] };
  }
  const configs = limineConfigs(host);
  if (configs.length === 0)
    throw new Error('Limine was detected but neither /etc/default/limine nor a limine.conf was found');
  const steps: Step[] = configs.flatMap((path) => {
    const text = host.files[path] ?? '';
    return editStep(
      path,
      text,
      editLimineConf(text, change),
      `${change.purpose}: every cmdline line of Limine`,
    );
  });
  return { steps, where: configs.join(', '), warnings: [] };
}
