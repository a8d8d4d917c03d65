// Applies a setup plan to a materialized host root the way the system would, for the idempotence tests:
// file steps exactly (refusing when the file is not what the plan expects), and for the three tools that
// own the command line (grubby, kernelstub, rpm-ostree) the edit each makes to the files the scanner
// reads back. Regeneration commands (grub-mkconfig, mkinitcpio, dracut, ...) change only outputs that
// planners never read, so they do nothing here.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Plan, RunStep } from '../../../shared/plan/model';

const at = (root: string, p: string): string => path.join(root, p);

function read(root: string, p: string): string | null {
  return existsSync(at(root, p)) ? readFileSync(at(root, p), 'utf8') : null;
}

const keyOf = (t: string): string => (t.split('=')[0] ?? t).replace(/-/g, '_');

/** Adds `param` to a whitespace list, replacing a parameter of the same name (what grubby does). */
const setParam = (options: string, param: string): string =>
  [...options.split(/\s+/).filter((t) => t !== '' && keyOf(t) !== keyOf(param)), param].join(' ');
const dropParam = (options: string, param: string): string =>
  options
    .split(/\s+/)
    .filter((t) => t !== '' && t !== param && (param.includes('=') || keyOf(t) !== keyOf(param)))
    .join(' ');

function editOptionsLines(root: string, files: string[], edit: (options: string) => string): void {
  for (const f of files) {
    const text = readFileSync(f, 'utf8');
    writeFileSync(
      f,
      text.replace(/^options[ \t]+(.*)$/m, (_m, o: string) => `options ${edit(o)}`),
    );
  }
}

const entries = (root: string): string[] => {
  const dir = at(root, '/boot/loader/entries');
  return existsSync(dir)
    ? readdirSync(dir)
        .filter((n) => n.endsWith('.conf'))
        .map((n) => path.join(dir, n))
    : [];
};

function runTool(root: string, step: RunStep): void {
  const [program, ...args] = step.argv;
  if (program === 'grubby') {
    for (const a of args.slice(1)) {
      const [flag, ...rest] = a.split('=');
      const value = rest.join('=');
      editOptionsLines(root, entries(root), (o) =>
        flag === '--args' ? setParam(o, value) : dropParam(o, value),
      );
    }
  } else if (program === 'kernelstub') {
    const file = at(root, '/etc/kernelstub/configuration');
    const config = JSON.parse(readFileSync(file, 'utf8')) as { user: { kernel_options: string[] } };
    const [flag, value = ''] = args;
    const opts = config.user.kernel_options.filter((o) => o !== value);
    config.user.kernel_options = flag === '-a' ? [...opts, value] : opts;
    writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`);
  } else if (program === 'rpm-ostree') {
    // A new deployment becomes the default entry, with the edited arguments.
    const current = entries(root).find((f) => readFileSync(f, 'utf8').includes('(ostree:0)'));
    if (!current) throw new Error('no ostree:0 entry');
    editOptionsLines(root, [current], (o) => {
      let out = o.split(/\s+/).filter((t) => t !== '');
      for (const a of args.slice(1)) {
        const m = /^--([a-z-]+)=(.*)$/.exec(a);
        if (!m) throw new Error(`unexpected rpm-ostree argument ${a}`);
        const [, op, value = ''] = m;
        if (op === 'append' || (op === 'append-if-missing' && !out.includes(value))) out.push(value);
        else if (op === 'delete' || op === 'delete-if-present') out = out.filter((t) => t !== value);
      }
      return out.join(' ');
    });
  }
}

export function applyOnTree(root: string, plan: Plan): void {
  for (const step of plan.steps) {
    switch (step.kind) {
      case 'write-file': {
        if (step.before !== undefined && read(root, step.path) !== step.before)
          throw new Error(`${step.path} is not as the plan expects`);
        mkdirSync(path.dirname(at(root, step.path)), { recursive: true });
        writeFileSync(at(root, step.path), step.content, { mode: step.mode });
        break;
      }
      case 'edit-file':
        if (read(root, step.path) !== step.before) throw new Error(`${step.path} is not as the plan expects`);
        writeFileSync(at(root, step.path), step.after);
        break;
      case 'remove-file':
        if (read(root, step.path) !== step.before) throw new Error(`${step.path} is not as the plan expects`);
        rmSync(at(root, step.path));
        break;
      case 'run':
        runTool(root, step);
        break;
      default:
        throw new Error(`a setup plan has no ${step.kind} step`);
    }
  }
}
