// Boot Loader Specification entries (`loader/entries/*.conf`): `key value` lines; the kernel command
// line is every `options` line joined. Used for systemd-boot entries and to read what grubby and
// rpm-ostree have already put there.
import { editCmdline } from './kernel-cmdline';

interface OptionsLine {
  /** Offsets of the value after `options` and its separating blanks. */
  start: number;
  end: number;
  value: string;
}

const optionsLines = (text: string): OptionsLine[] =>
  [...text.matchAll(/^([ \t]*options[ \t]+)([^\n]*)$/gm)].map((m) => {
    const start = m.index + (m[1]?.length ?? 0);
    const value = m[2] ?? '';
    return { start, end: start + value.length, value };
  });

export const blsField = (text: string, key: string): string | null => {
  const m = new RegExp(`^[ \\t]*${key}[ \\t]+([^\\n]*)$`, 'm').exec(text);
  return m ? (m[1] ?? '').trim() : null;
};

/** An entry boots a Linux kernel (not an `efi` chainload such as Windows or a firmware tool). */
export const bootsLinux = (text: string): boolean =>
  blsField(text, 'linux') !== null || blsField(text, 'uki') !== null;

export const entryOptions = (text: string): string =>
  optionsLines(text)
    .map((l) => l.value)
    .join(' ');

/** Applies `add` to the last options line (or a new one) and strips `removeKeys` from every options line. */
export function editEntryOptions(text: string, add: string[], removeKeys: string[]): string {
  let out = text;
  for (const line of optionsLines(out).reverse()) {
    const edited = editCmdline(line.value, [], removeKeys);
    if (edited !== line.value) out = out.slice(0, line.start) + edited + out.slice(line.end);
  }
  if (add.length === 0) return out;
  const last = optionsLines(out).at(-1);
  if (last) return out.slice(0, last.start) + editCmdline(last.value, add) + out.slice(last.end);
  return `${out}${out === '' || out.endsWith('\n') ? '' : '\n'}options ${add.join(' ')}\n`;
}
