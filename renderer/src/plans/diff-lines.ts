// Turns a file step into display lines: a unified diff for edits, all-added for new files, all-removed
// for removals. Each line also gets a light syntax split (comment, key, value) for colouring.
import { structuredPatch } from 'diff';

export type DiffLineKind = 'add' | 'del' | 'ctx' | 'hunk';
export interface DiffLine {
  kind: DiffLineKind;
  text: string;
}

export const diffLines = (path: string, before: string, after: string): DiffLine[] => {
  const patch = structuredPatch(path, path, before, after, '', '', { context: 3 });
  return patch.hunks.flatMap((h) => [
    { kind: 'hunk' as const, text: `@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@` },
    ...h.lines
      .filter((l) => !l.startsWith('\\'))
      .map((l) => ({
        kind: (l[0] === '+' ? 'add' : l[0] === '-' ? 'del' : 'ctx') as DiffLineKind,
        text: l.slice(1),
      })),
  ]);
};

export type Token = { cls: 'comment' | 'key' | 'string' | 'plain'; text: string };

/** A tiny highlighter good enough for shell-style config (GRUB, modprobe.d, dracut, kernel cmdlines). */
export const highlight = (line: string): Token[] => {
  const trimmed = line.trimStart();
  if (trimmed.startsWith('#') || trimmed.startsWith(';')) return [{ cls: 'comment', text: line }];
  const key = /^(\s*[A-Za-z_][\w.-]*)(=)(.*)$/.exec(line);
  if (key) {
    const [, name = '', eq = '', rest = ''] = key;
    return [{ cls: 'key', text: name }, { cls: 'plain', text: eq }, ...splitStrings(rest)];
  }
  return splitStrings(line);
};

const splitStrings = (text: string): Token[] =>
  text
    .split(/("[^"]*"|'[^']*')/)
    .filter((part) => part !== '')
    .map((part) => ({ cls: /^["']/.test(part) ? 'string' : 'plain', text: part }));
