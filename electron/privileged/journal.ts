// Root's journal: $ROOT/var/lib/gpu-ferry/journal/<id>/, one directory per apply, written only by us.
//   state        preparing|applying|applied|undoing|undone|rolled-back|abandoned|undo-incomplete|rollback-incomplete
//   plan.json    the plan root computed (read back through planSchema, its commands checked again)
//   files.json   [{ step, path }] the files the plan touches;  dirs.json: directories it created
//   f<N>.old / f<N>.meta ({mode,uid,gid} or "absent") / f<N>.new (sha256 after applying, or "absent");
//                .old, .new and plan.json only root may read (a private file's bytes, or a hash to test guesses of them)
//   progress     "start N" before a command step runs, "done N" after any step finishes
//   effects-done "inverse N" / "rerun N": undo commands that finished;  pending: commands left for a person
// Every record is appended and fsync'd as the work happens, so a run killed at any moment leaves what
// recovery needs. The lock file keeps one privileged run at a time.
import { appendFileSync, closeSync, constants, existsSync, fsyncSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, chmodSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { z } from 'zod';
import { planSchema, type Plan } from '../../shared/plan/model';
import { refuse, Refusal, EXIT } from './output';
import { dirSafe, physical, syncDir, type Tree } from './safe-fs';
import { plainPath } from './owned-paths';

export const ENTRY_ID = /^\d{8}T\d{6}Z-\d{1,10}$/;
export const KEEP_FINISHED = 50;

export type EntryState = 'preparing' | 'applying' | 'applied' | 'undoing' | 'undone' | 'rolled-back' | 'abandoned' | 'undo-incomplete' | 'rollback-incomplete';

const filesSchema = z.array(z.object({ step: z.number().int().min(0).max(255), path: z.string() }).strict()).max(256);
const dirsSchema = z.array(z.string()).max(64);
const metaSchema = z.union([z.literal('absent'), z.object({ mode: z.number().int().min(0).max(0o1777), uid: z.number().int().min(0), gid: z.number().int().min(0) }).strict()]);

export type FileMeta = z.infer<typeof metaSchema>;

export const journalDir = (tree: Tree): string => physical(tree, '/var/lib/gpu-ferry/journal');

/** Writes a whole small file durably (temp + fsync + rename) inside an entry. */
export function writeDurable(file: string, text: string | Buffer, mode = 0o644): void {
  const temp = `${file}.tmp`;
  const fd = openSync(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW, mode);
  try {
    writeSync(fd, typeof text === 'string' ? Buffer.from(text) : text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  chmodSync(temp, mode);
  renameSync(temp, file);
}

/** Appends one line and fsyncs it before the work it records moves on. */
export function record(file: string, line: string): void {
  const fd = openSync(file, constants.O_WRONLY | constants.O_CREAT | constants.O_APPEND | constants.O_NOFOLLOW, 0o644);
  try {
    writeSync(fd, `${line}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export const readLines = (file: string): string[] => (existsSync(file) && !lstatSync(file).isSymbolicLink() ? readFileSync(file, 'utf8').split('\n').filter((l) => l !== '') : []);

export class Entry {
  constructor(
    readonly dir: string,
    readonly id: string,
  ) {}

  get state(): string {
    return readFileSync(`${this.dir}/state`, 'utf8').trim();
  }

  setState(state: EntryState): void {
    writeDurable(`${this.dir}/state`, `${state}\n`);
    syncDir(this.dir);
  }

  private json<T>(name: string, schema: z.ZodType<T>): T {
    const file = `${this.dir}/${name}`;
    if (!existsSync(file) || lstatSync(file).isSymbolicLink()) throw refuse('bad-journal', null, `entry ${this.id} has no ${name}; not touching it`);
    let value: unknown;
    try {
      value = JSON.parse(readFileSync(file, 'utf8'));
    } catch {
      throw refuse('bad-journal', null, `entry ${this.id}: ${name} is not JSON`);
    }
    const parsed = schema.safeParse(value);
    if (!parsed.success) throw refuse('bad-journal', null, `entry ${this.id}: ${name} is not what GPU Ferry writes`);
    return parsed.data;
  }

  plan(): Plan {
    return this.json('plan.json', planSchema);
  }

  /** Goal and title, readable without root (the plan itself, holding file contents, is root's only). */
  summary(): { goal: string; title: string } {
    return this.json('summary.json', z.object({ goal: z.string().max(64), title: z.string().max(300) }).strict());
  }

  files(): { step: number; path: string }[] {
    const files = this.json('files.json', filesSchema);
    for (const f of files) if (!plainPath(f.path)) throw refuse('bad-journal', f.step, `entry ${this.id} names a path that is not allowed`);
    return files;
  }

  dirs(): string[] {
    return existsSync(`${this.dir}/dirs.json`) ? this.json('dirs.json', dirsSchema) : [];
  }

  meta(step: number): FileMeta {
    return this.json(`f${step}.meta`, metaSchema);
  }

  oldBytes(step: number): Buffer {
    return readFileSync(`${this.dir}/f${step}.old`);
  }

  newHash(step: number): string {
    return readFileSync(`${this.dir}/f${step}.new`, 'utf8').trim();
  }

  progressSteps(): number[] {
    const started: number[] = [];
    for (const line of readLines(`${this.dir}/progress`)) {
      const m = /^(start|done) (0|[1-9][0-9]{0,3})$/.exec(line);
      if (m && !started.includes(Number(m[2]))) started.push(Number(m[2]));
    }
    return started;
  }

  effectDone(what: string): boolean {
    return readLines(`${this.dir}/effects-done`).includes(what);
  }
}

/** Makes sure the journal directory exists as a real directory (no symlinks on the way) and is listable.
 *  Root trusts what an entry says (its plan's commands run again on undo), so every directory on the way
 *  must be root's and writable by nobody else: else someone could have planted or edited an entry. */
export function openJournal(tree: Tree): string {
  let logical = '';
  for (const part of ['var', 'lib', 'gpu-ferry', 'journal']) {
    logical += `/${part}`;
    const p = physical(tree, logical);
    const st = existsSync(p) || isLink(p) ? lstatSync(p) : null;
    if (st?.isSymbolicLink()) throw refuse('symlink-in-path', null, `'${logical}' is a symbolic link`);
    if (!st) {
      mkdirSync(p, { mode: 0o755 });
      chmodSync(p, 0o755); // our umask is 077
    } else if (!dirSafe(tree, p)) throw refuse('unsafe-directory', null, `'${logical}' is not a directory owned by root and writable only by root; not trusting the journal in it`);
  }
  const dir = journalDir(tree);
  chmodSync(dir, 0o755); // listable without root; backups inside stay 0600
  return dir;
}

const isLink = (p: string): boolean => {
  try {
    return lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
};

/** One privileged run at a time: an exclusive lock file holding our PID; a dead holder's lock is taken over. */
export async function lockJournal(dir: string, deadlineMs = 30_000): Promise<() => void> {
  const lock = `${dir}/.lock`;
  const until = Date.now() + deadlineMs;
  for (;;) {
    try {
      const fd = openSync(lock, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o644);
      writeSync(fd, `${process.pid}\n`);
      fsyncSync(fd);
      closeSync(fd);
      return () => rmSync(lock, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    if (lockHolderGone(lock)) {
      // Take over atomically: only one of several waiters renames the dead lock away.
      const stale = `${lock}.stale-${process.pid}`;
      try {
        renameSync(lock, stale);
        unlinkSync(stale);
      } catch {
        // another waiter took it over first
      }
      continue;
    }
    if (Date.now() > until) throw new Refusal(EXIT.busy, 'busy', null, 'another privileged GPU Ferry run is going on');
    await new Promise((r) => setTimeout(r, 50));
  }
}

function lockHolderGone(lock: string): boolean {
  let text: string;
  try {
    text = readFileSync(lock, 'utf8');
  } catch {
    return false;
  }
  const pid = Number(text.trim());
  if (!/^[1-9][0-9]*\n?$/.test(text)) {
    // Being written right now, or garbage: garbage older than a few seconds is dead.
    try {
      return Date.now() - lstatSync(lock).mtimeMs > 5000;
    } catch {
      return false;
    }
  }
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** Entries by id, oldest first (ids start with the UTC time). */
export function listEntries(dir: string): Entry[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => ENTRY_ID.test(name) && !isLink(`${dir}/${name}`) && existsSync(`${dir}/${name}/state`))
    .sort()
    .map((name) => new Entry(`${dir}/${name}`, name));
}

export function newEntry(dir: string): Entry {
  const d = new Date();
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  const id = `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}T${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}Z-${process.pid}`;
  mkdirSync(`${dir}/${id}`, { mode: 0o755 });
  chmodSync(`${dir}/${id}`, 0o755); // listable; backups and the plan inside stay 0600
  return new Entry(`${dir}/${id}`, id);
}

/** Undone and rolled-back entries beyond the newest KEEP_FINISHED go, oldest first; the others stay. */
export function pruneJournal(dir: string): void {
  const finished = listEntries(dir).filter((e) => e.state === 'undone' || e.state === 'rolled-back');
  for (const e of finished.slice(0, Math.max(0, finished.length - KEEP_FINISHED))) rmSync(e.dir, { recursive: true, force: true });
}

export { appendFileSync, writeFileSync };
