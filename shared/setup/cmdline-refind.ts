// rEFInd reads refind_linux.conf beside the kernel: one line per menu option, `"title" "options"`.
// Every option line gets the parameters (the fallback/single-user lines too, so no choice boots
// without them); titles, comments and spacing stay as they are.
import type { HostModel } from '../host/model';
import type { Step } from '../plan/model';
import type { CmdlineChange, CmdlineEdit } from './cmdline-change';
import { editCmdline, missingParams } from './kernel-cmdline';
import { editStep } from './steps';

export const refindConfigs = (host: HostModel): string[] =>
  Object.keys(host.files)
    .filter((p) => p.endsWith('/refind_linux.conf'))
    .sort();

/** Rewrites the second quoted string of every non-comment line. */
export function editRefindLines(text: string, change: CmdlineChange): string {
  return text.replace(
    /^([ \t]*"[^"\n]*"[ \t]+")([^"\n]*)(")/gm,
    (_m, head: string, options: string, tail: string) => {
      return head + editCmdline(options, missingParams(options, change.add), change.removeKeys) + tail;
    },
  );
}

export function refindCmdline(host: HostModel, change: CmdlineChange): CmdlineEdit {
  const configs = refindConfigs(host);
  if (configs.length === 0)
    throw new Error(
      'rEFInd was detected but no refind_linux.conf was found (manual stanzas in refind.conf are not edited by GPU Ferry)',
    );
  const steps: Step[] = configs.flatMap((path) => {
    const text = host.files[path] ?? '';
    return editStep(
      path,
      text,
      editRefindLines(text, change),
      `${change.purpose}: every boot option line of rEFInd`,
    );
  });
  return { steps, where: configs.join(', '), warnings: [] };
}
