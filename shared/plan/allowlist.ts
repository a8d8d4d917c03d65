// The helper's allowlist (resources/helper/allowlist.conf) read in TypeScript, so planners and the
// review can tell early that a step would be refused. The helper stays the authority; a test keeps the
// two verdicts equal (test/helper/allowlist-agree.test.ts).
import type { Step } from './model';

export interface Allowlist {
  files: string[];
  trees: string[];
  mkdirs: string[];
  programs: Map<string, RegExp | null>;
}

export function parseAllowlist(text: string): Allowlist {
  const list: Allowlist = { files: [], trees: [], mkdirs: [], programs: new Map() };
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const [kind, value = ''] = line.split(/\s+/);
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
        list.programs.set(value, new RegExp(/^args\s+\S+\s+(.*)$/.exec(line)?.[1] ?? '^$'));
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

/** The helper's error code this step would get from the allowlist alone, or null when it passes. */
export function allowlistVerdict(list: Allowlist, step: Step): string | null {
  switch (step.kind) {
    case 'write-file':
    case 'edit-file':
    case 'remove-file':
      return isFileAllowed(list, step.path) ? null : 'path-not-allowed';
    case 'run': {
      const [name = '', ...args] = step.argv;
      if (!list.programs.has(name)) return 'program-not-allowed';
      if (args.some((a) => !SAFE_ARG.test(a))) return 'bad-argument';
      if (args.some((a) => a.includes('..'))) return 'path-traversal';
      const rule = list.programs.get(name);
      return rule && !rule.test(args.join(' ')) ? 'arguments-not-allowed' : null;
    }
    default:
      return null;
  }
}
