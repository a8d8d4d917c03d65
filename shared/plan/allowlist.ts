// The helper's allowlist (resources/helper/allowlist.conf) read in TypeScript, so planners and the
// review can tell early that a step would be refused. The helper stays the authority; a test keeps the
// two verdicts equal (test/helper/allowlist-agree.test.ts). Regexes are written in the common subset of
// POSIX extended regexes (bash =~) and JavaScript.
import type { Step } from './model';

/** A rule for the content of files matching `pattern` (a glob where `*` and `?` never match `/`). */
export interface ContentRule {
  pattern: string;
  value: string;
}

export interface Allowlist {
  files: string[];
  trees: string[];
  mkdirs: string[];
  /** Program → whole-argument-string rule; null: no args line, so every run of it is refused. */
  programs: Map<string, RegExp | null>;
  lines: ContentRule[];
  tokens: ContentRule[];
  same: ContentRule[];
  /** Unit name → the one action allowed. */
  units: Map<string, string>;
  /** Module name → rule for its parameters joined by spaces. */
  modules: Map<string, RegExp>;
}

const whole = (source: string): RegExp => new RegExp(`^(?:${source})$`);

export function parseAllowlist(text: string): Allowlist {
  const list: Allowlist = { files: [], trees: [], mkdirs: [], programs: new Map(), lines: [], tokens: [], same: [], units: new Map(), modules: new Map() };
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    // As the helper's `read -r kind value rest`: two words, then the rest of the line.
    const m = /^(\S+)(?:\s+(\S+))?(?:\s+(.*))?$/.exec(line);
    const kind = m?.[1] ?? '';
    const value = m?.[2] ?? '';
    const rest = m?.[3] ?? '';
    switch (kind) {
      case 'file':
        list.files.push(value);
        break;
      case 'tree':
        list.trees.push(value);
        break;
      case 'mkdir':
        list.mkdirs.push(value);
        break;
      case 'program':
        if (!list.programs.has(value)) list.programs.set(value, null);
        break;
      case 'args':
        list.programs.set(value, whole(rest));
        break;
      case 'line':
        list.lines.push({ pattern: value, value: rest });
        break;
      case 'token':
        list.tokens.push({ pattern: value, value: rest });
        break;
      case 'same':
        list.same.push({ pattern: value, value: rest });
        break;
      case 'unit':
        list.units.set(value, rest);
        break;
      case 'module':
        list.modules.set(value, whole(rest));
        break;
      default:
        throw new Error(`allowlist line ${i + 1}: unknown entry '${kind}'`);
    }
  });
  return list;
}

/** A shell-style pattern where `*` and `?` never match `/` (as the helper checks it). */
const globToRegExp = (pattern: string): RegExp =>
  new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]')}$`);

/** The helper's own journal is never a plan's target (a plan that could edit backups could make undo write anywhere). */
const JOURNAL = '/var/lib/gpu-ferry/journal';

export const isFileAllowed = (list: Allowlist, file: string): boolean =>
  file !== JOURNAL &&
  !file.startsWith(`${JOURNAL}/`) &&
  (list.files.some((p) => globToRegExp(p).test(file)) || list.trees.some((t) => file.startsWith(`${t}/`)));

const SAFE_ARG = /^[A-Za-z0-9_@%+=:,./-]+$/;
const MAX_RULE_LINE = 4096;

/** The line with every allowed word removed, blanks collapsed and dropped next to quotes and parentheses. */
export function normaliseLine(line: string, tokens: RegExp[]): string {
  let out = '';
  for (const part of line.match(/[^ \t"'()]+|[ \t]+|[\s\S]/g) ?? []) {
    if (/^[ \t]+$/.test(part)) {
      if (!out.endsWith(' ')) out += ' ';
    } else if (/^[^ \t"'()]+$/.test(part)) {
      if (!tokens.some((t) => t.test(part))) out += part;
    } else out += part;
  }
  for (const c of ['"', "'", '(', ')']) out = out.split(` ${c}`).join(c).split(`${c} `).join(c);
  return out.replace(/^ /, '').replace(/ $/, '');
}

const splitLines = (text: string): string[] => {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
};

/**
 * The helper's verdict on new content for `path` (current: what the file holds now, '' when absent), or
 * null when allowed. `reference` gives the bytes of a `same` rule's reference copy (null when missing).
 */
export function contentVerdict(list: Allowlist, path: string, current: string, next: string, reference: (name: string) => string | null = () => null): string | null {
  const matching = (rules: ContentRule[]): string[] => rules.filter((r) => globToRegExp(r.pattern).test(path)).map((r) => r.value);
  const same = matching(list.same).at(-1);
  if (same !== undefined) {
    const ref = reference(same);
    if (ref === null) return 'reference-missing';
    return ref === next ? null : 'content-not-allowed';
  }
  const lineRules = matching(list.lines).map(whole);
  const tokens = matching(list.tokens).map(whole);
  if (lineRules.length + tokens.length === 0) return list.files.some((p) => globToRegExp(p).test(path)) ? 'content-not-allowed' : null;
  const old = new Set(splitLines(current));
  const oldNorm = new Set(tokens.length > 0 ? [...old].filter((l) => l.length <= MAX_RULE_LINE).map((l) => normaliseLine(l, tokens)) : []);
  for (const line of splitLines(next)) {
    if (old.has(line) || /^[ \t]*$/.test(line) || /^[ \t]*#[^\\]*$/.test(line)) continue;
    const ok = line.length <= MAX_RULE_LINE && (lineRules.some((r) => r.test(line)) || (tokens.length > 0 && oldNorm.has(normaliseLine(line, tokens))));
    if (!ok) return 'content-not-allowed';
  }
  return null;
}

/** The helper's verdict on one command line (argv[0] a program name), or null when allowed. */
function argvVerdict(list: Allowlist, argv: string[]): string | null {
  const [name = '', ...args] = argv;
  if (!list.programs.has(name)) return 'program-not-allowed';
  if (args.some((a) => !SAFE_ARG.test(a))) return 'bad-argument';
  if (args.some((a) => a.includes('..'))) return 'path-traversal';
  const rule = list.programs.get(name);
  return rule && rule.test(args.join(' ')) ? null : 'arguments-not-allowed';
}

/** The helper's error code this step would get from the allowlist alone, or null when it passes. */
export function allowlistVerdict(list: Allowlist, step: Step, reference?: (name: string) => string | null): string | null {
  switch (step.kind) {
    case 'write-file':
    case 'edit-file':
    case 'remove-file': {
      if (!isFileAllowed(list, step.path)) return 'path-not-allowed';
      // Only files GPU Ferry creates may disappear (gpu-ferry in the name, or inside a tree).
      if (step.kind === 'remove-file') return /gpu-ferry[^/]*$/.test(step.path.slice(step.path.lastIndexOf('/'))) || list.trees.some((t) => step.path.startsWith(`${t}/`)) ? null : 'remove-not-allowed';
      if (step.kind === 'write-file') {
        if (step.owner !== 'root') return 'owner-not-allowed';
        if (step.group !== 'root') return 'group-not-allowed';
        if ((step.mode & 0o022) !== 0) return 'mode-not-allowed';
      }
      const next = step.kind === 'write-file' ? step.content : step.after;
      return contentVerdict(list, step.path, step.before ?? '', next, reference);
    }
    case 'run':
      // The inverse command is checked exactly like the command itself: undo must not smuggle one in.
      return argvVerdict(list, step.argv) ?? (typeof step.undo === 'object' ? argvVerdict(list, step.undo.argv) : null);
    case 'module-load': {
      const rule = list.modules.get(step.module);
      return rule && rule.test((step.params ?? []).join(' ')) ? null : 'module-not-allowed';
    }
    case 'unit':
      return list.units.get(step.unit) === step.action ? null : 'unit-not-allowed';
    default:
      return 'step-kind-not-allowed';
  }
}
