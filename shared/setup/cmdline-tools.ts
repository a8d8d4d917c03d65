// Bootloaders whose command line is owned by a tool: we run the tool rather than edit its files, and read
// its files only to know what is already there (so planning again after applying is empty).
//  - grubby (Fedora/RHEL GRUB with BLS): `grubby --update-kernel=ALL --args=...` updates every entry.
//  - rpm-ostree (Silverblue, Kinoite, Bazzite): `rpm-ostree kargs` stages a new deployment.
//  - kernelstub (Pop!_OS): `kernelstub -a/-d` keeps /etc/kernelstub/configuration and the ESP in sync.
import type { HostModel } from '../host/model';
import { blsField, bootsLinux, entryOptions } from './bls-entry';
import { filesUnder, type CmdlineChange, type CmdlineEdit } from './cmdline-change';
import { lastToken, missingParams, paramsPresent, tokenize } from './kernel-cmdline';
import { runStep } from './steps';

const BLS_DIR = '/boot/loader/entries';
export const KERNELSTUB_CONFIG = '/etc/kernelstub/configuration';

const keyOf = (param: string): string => param.split('=')[0] ?? param;
const unique = (items: string[]): string[] => [...new Set(items)];

/** Parameters missing from at least one entry, and present tokens to strip, across the given entries. */
function entriesDelta(
  host: HostModel,
  paths: string[],
  change: CmdlineChange,
): { missing: string[]; strip: string[] } {
  const options = paths.map((p) => entryOptions(host.files[p] ?? ''));
  return {
    missing: unique(options.flatMap((o) => missingParams(o, change.add))),
    strip: unique(options.flatMap((o) => paramsPresent(o, change.removeKeys).map((t) => t.text))),
  };
}

export function grubbyCmdline(host: HostModel, change: CmdlineChange): CmdlineEdit {
  const entries = filesUnder(host.files, BLS_DIR, '.conf').filter((p) => bootsLinux(host.files[p] ?? ''));
  const warnings =
    entries.length === 0
      ? [
          `No boot entries were readable under ${BLS_DIR}/, so GPU Ferry cannot tell whether the parameters are already set.`,
        ]
      : [];
  const { missing, strip } =
    entries.length === 0 ? { missing: change.add, strip: [] } : entriesDelta(host, entries, change);
  // One parameter per run: grubby keeps only the last of repeated --args, and the helper allows no blanks in an argument.
  const steps = [
    ...strip.map((t) =>
      runStep(
        ['grubby', '--update-kernel=ALL', `--remove-args=${t}`],
        `${change.purpose}: remove ${t} from every boot entry`,
        { argv: ['grubby', '--update-kernel=ALL', `--args=${t}`] },
      ),
    ),
    ...missing.map((p) =>
      runStep(
        ['grubby', '--update-kernel=ALL', `--args=${p}`],
        `${change.purpose}: add ${p} to every boot entry`,
        { argv: ['grubby', '--update-kernel=ALL', `--remove-args=${p}`] },
      ),
    ),
  ];
  return { steps, where: `grubby (${BLS_DIR}/*.conf)`, warnings };
}

/** The entry of the deployment that boots next: ostree titles it `(ostree:0)`. */
export function ostreeDefaultEntry(host: HostModel): string | null {
  const entries = filesUnder(host.files, BLS_DIR, '.conf').filter((p) => /\/ostree-[^/]*\.conf$/.test(p));
  return (
    entries.find((p) => (blsField(host.files[p] ?? '', 'title') ?? '').includes('(ostree:0)')) ??
    entries.at(-1) ??
    null
  );
}

/**
 * The `rpm-ostree kargs` options that reverse `args`, last first: what was appended is deleted (if still
 * there), what was deleted comes back (unless already there).
 */
export const inverseKargs = (args: string[]): string[] =>
  [...args].reverse().map((a) => {
    const [option = '', value = ''] = a.split(/=(.*)/s);
    return option === '--append' || option === '--append-if-missing' ? `--delete-if-present=${value}` : `--append-if-missing=${value}`;
  });

export function rpmOstreeCmdline(host: HostModel, change: CmdlineChange): CmdlineEdit {
  const entry = ostreeDefaultEntry(host);
  const warnings =
    entry === null
      ? [
          `No ostree boot entry was readable under ${BLS_DIR}/, so GPU Ferry cannot tell which kernel arguments are already set.`,
        ]
      : [];
  const options = entry === null ? '' : entryOptions(host.files[entry] ?? '');
  const tokens = tokenize(options);
  const args = [
    ...paramsPresent(options, change.removeKeys).map((t) => `--delete-if-present=${t.text}`),
    // --append-if-missing only compares whole arguments: a parameter set to another value goes first.
    ...missingParams(options, change.add).flatMap((p) => {
      const old = lastToken(tokens, keyOf(p));
      return old ? [`--delete=${old.text}`, `--append=${p}`] : [`--append-if-missing=${p}`];
    }),
  ];
  const steps =
    args.length > 0
      ? [
          runStep(['rpm-ostree', 'kargs', ...args], `${change.purpose}: kernel arguments of a new deployment`, {
            argv: ['rpm-ostree', 'kargs', ...inverseKargs(args)],
          }),
        ]
      : [];
  return { steps, where: 'rpm-ostree kargs', warnings };
}

/** kernelstub's `user.kernel_options`, which it writes to the ESP entry on every run. */
export function kernelstubOptions(host: HostModel): string[] | null {
  const text = host.files[KERNELSTUB_CONFIG];
  if (text === undefined) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(
      `${KERNELSTUB_CONFIG} is not valid JSON: fix it or run kernelstub once so it rewrites it`,
    );
  }
  const user = (parsed as { user?: { kernel_options?: unknown } }).user;
  const options = user?.kernel_options;
  return Array.isArray(options) && options.every((o) => typeof o === 'string') ? options : [];
}

export function kernelstubCmdline(host: HostModel, change: CmdlineChange): CmdlineEdit {
  const options = (kernelstubOptions(host) ?? []).join(' ');
  const missing = missingParams(options, change.add);
  // A parameter set to another value must go first: kernelstub -a appends without replacing.
  const replaced = missing.flatMap((p) => lastToken(tokenize(options), keyOf(p))?.text ?? []);
  const strip = unique([...paramsPresent(options, change.removeKeys).map((t) => t.text), ...replaced]);
  // One option per run: kernelstub keeps only the last of repeated -a/-d.
  const steps = [
    ...strip.map((t) =>
      runStep(['kernelstub', '-d', t], `${change.purpose}: remove ${t} from the kernel options`, {
        argv: ['kernelstub', '-a', t],
      }),
    ),
    ...missing.map((p) =>
      runStep(['kernelstub', '-a', p], `${change.purpose}: add ${p} to the kernel options`, {
        argv: ['kernelstub', '-d', p],
      }),
    ),
  ];
  const warnings =
    options === '' && kernelstubOptions(host) === null
      ? [
          `${KERNELSTUB_CONFIG} was not readable, so GPU Ferry cannot tell whether the options are already set.`,
        ]
      : [];
  return { steps, where: `kernelstub (${KERNELSTUB_CONFIG})`, warnings };
}
