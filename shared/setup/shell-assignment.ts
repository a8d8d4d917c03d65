// Shell-style assignments in files that are sourced by a shell (/etc/default/grub, /etc/default/limine,
// /etc/mkinitcpio.conf): find the active `NAME=value` line and rewrite only the inside of its value, so
// comments, other lines, the quoting style and trailing comments survive byte for byte.

export interface Assignment {
  /** Offset of the first character of the line. */
  lineStart: number;
  /** Offsets of the whole value as written (quotes included). */
  valueStart: number;
  valueEnd: number;
  /** Offsets and text of what is inside the quotes (the whole value when unquoted). */
  innerStart: number;
  innerEnd: number;
  inner: string;
  quote: '"' | "'" | '(' | null;
  /** `=` or `+=`. */
  operator: string;
}

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** End offset (exclusive) of a value that starts at `start`. */
function valueEnd(text: string, start: number): { end: number; quote: Assignment['quote'] } {
  const open = text[start];
  if (open === '"' || open === "'" || open === '(') {
    const close = open === '(' ? ')' : open;
    let i = start + 1;
    let inDouble = false;
    while (i < text.length) {
      const c = text[i];
      if (c === '\\' && open !== "'") {
        i += 2;
        continue;
      }
      // Inside an array, quoted words may contain `)`.
      if (open === '(' && c === '"') inDouble = !inDouble;
      if (c === close && !inDouble) return { end: i + 1, quote: open };
      i++;
    }
    throw new Error(`unterminated ${open} value`);
  }
  let i = start;
  while (i < text.length && !/[\s#;]/.test(text[i] ?? '')) i++;
  return { end: i, quote: null };
}

/** Every active assignment to `name` (e.g. `GRUB_CMDLINE_LINUX`, `KERNEL_CMDLINE[default]`), in file order. */
export function findAssignments(text: string, name: string): Assignment[] {
  const re = new RegExp(`^[ \\t]*(?:export[ \\t]+)?${escapeRe(name)}(\\+?=)`, 'gm');
  const found: Assignment[] = [];
  for (const m of text.matchAll(re)) {
    const lineStart = m.index;
    const valueStart = lineStart + m[0].length;
    const { end, quote } = valueEnd(text, valueStart);
    const innerStart = quote ? valueStart + 1 : valueStart;
    const innerEnd = quote ? end - 1 : end;
    found.push({
      lineStart,
      valueStart,
      valueEnd: end,
      innerStart,
      innerEnd,
      inner: text.slice(innerStart, innerEnd),
      quote,
      operator: m[1] ?? '=',
    });
  }
  return found;
}

/** Replaces the inside of an assignment's value; an unquoted value becomes double-quoted when it needs to. */
export function replaceInner(text: string, a: Assignment, inner: string): string {
  if (a.quote === null) {
    const needsQuotes = /[\s"'$`\\]/.test(inner) || inner === '';
    const value = needsQuotes ? `"${inner}"` : inner;
    return text.slice(0, a.valueStart) + value + text.slice(a.valueEnd);
  }
  return text.slice(0, a.innerStart) + inner + text.slice(a.innerEnd);
}

/** Appends a line, making sure the previous content ends with a newline. */
export const appendLine = (text: string, line: string): string =>
  (text === '' || text.endsWith('\n') ? text : `${text}\n`) + `${line}\n`;
