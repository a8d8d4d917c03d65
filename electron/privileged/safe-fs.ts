// File operations that cannot be redirected: every directory on the way to a target is a real directory
// (no symlink) owned by root and not writable by group or others (under --root, never as root: owned by
// the user running us instead), and every write happens from inside the verified directory (the process's
// cwd pins its inode) to a fresh temp file that is renamed over the target: atomic, never through a link.
import { chmodSync, chownSync, closeSync, constants, fchmodSync, fchownSync, fsyncSync, lstatSync, openSync, readFileSync, realpathSync, renameSync, rmdirSync, unlinkSync, writeSync, mkdirSync, readdirSync } from 'node:fs';
import { createHash, randomBytes } from 'node:crypto';
import { isCreatableDir } from './owned-paths';

export interface Tree {
  /** '' for the real system, else the absolute real path of the simulated tree. */
  root: string;
  simulated: boolean;
  euid: number;
}

const TEMP_PREFIX = '.gpu-ferry-helper.';

export const physical = (tree: Tree, logical: string): string => (tree.root + logical) || '/';

const lstatOrNull = (p: string) => {
  try {
    return lstatSync(p);
  } catch {
    return null;
  }
};

/** A directory only root (or, simulating, the tree's owner who runs us) can change. */
export function dirSafe(tree: Tree, p: string): boolean {
  const st = lstatOrNull(p);
  if (!st || !st.isDirectory()) return false;
  const ownerOk = st.uid === 0 || (tree.simulated && st.uid === tree.euid);
  return ownerOk && (st.mode & 0o022) === 0;
}

export type TargetProblem = 'unsafe-directory' | 'symlink-in-path' | 'not-a-directory' | 'missing-directory' | 'symlink-target' | 'not-a-regular-file' | 'hard-linked';

export interface TargetCheck {
  exists: boolean;
  /** Logical directories that must be created first, outermost first. */
  missing: string[];
  problem: { code: TargetProblem; message: string } | null;
}

/** Checks the way to LOGICAL (directories and the final component) without changing anything. */
export function checkTarget(tree: Tree, logical: string): TargetCheck {
  const missing: string[] = [];
  const fail = (code: TargetProblem, message: string): TargetCheck => ({ exists: false, missing, problem: { code, message } });
  if (!dirSafe(tree, physical(tree, ''))) return fail('unsafe-directory', "'/' is writable by someone other than root");
  const parts = logical.split('/').slice(1);
  let dir = '';
  for (const part of parts.slice(0, -1)) {
    dir += `/${part}`;
    const st = lstatOrNull(physical(tree, dir));
    if (st?.isSymbolicLink()) return fail('symlink-in-path', `'${dir}' is a symbolic link`);
    if (st) {
      if (!st.isDirectory()) return fail('not-a-directory', `'${dir}' is not a directory`);
      if (!dirSafe(tree, physical(tree, dir))) return fail('unsafe-directory', `'${dir}' is not owned by root or is writable by group or others`);
    } else if (isCreatableDir(dir)) missing.push(dir);
    else return fail('missing-directory', `directory '${dir}' does not exist`);
  }
  const st = lstatOrNull(physical(tree, logical));
  if (st?.isSymbolicLink()) return fail('symlink-target', `'${logical}' is a symbolic link`);
  if (st && !st.isFile()) return fail('not-a-regular-file', `'${logical}' is not a regular file`);
  if (st && st.nlink !== 1) return fail('hard-linked', `'${logical}' has more than one hard link`);
  return { exists: st !== null, missing, problem: null };
}

/** True when some component of LOGICAL is a symbolic link now. */
export function hasSymlink(tree: Tree, logical: string): boolean {
  let p = '';
  for (const part of logical.split('/').slice(1)) {
    p += `/${part}`;
    if (lstatOrNull(physical(tree, p))?.isSymbolicLink()) return true;
  }
  return false;
}

/** chdir into the directory and prove it is that real directory (and a safe one); false otherwise. */
function enterDir(tree: Tree, logicalDir: string): boolean {
  const want = physical(tree, logicalDir);
  try {
    process.chdir(want);
  } catch {
    return false;
  }
  return realpathSync('.') === want && process.cwd() === want && dirSafe(tree, '.');
}

const leave = (): void => process.chdir('/');

/** Temp files a killed run left in the current (verified) directory: the journal lock makes each a leftover. */
function dropLeftovers(): void {
  for (const name of readdirSync('.')) {
    if (!name.startsWith(TEMP_PREFIX)) continue;
    const st = lstatOrNull(name);
    if (st && (st.isFile() || st.isSymbolicLink())) unlinkSync(name);
  }
}

/** Creates the missing directories (0755, root's), each inside its verified parent. */
export function makeDirs(tree: Tree, dirs: string[]): void {
  try {
    for (const d of dirs) {
      const parent = d.slice(0, d.lastIndexOf('/')) || '/';
      const name = d.slice(d.lastIndexOf('/') + 1);
      if (!enterDir(tree, parent === '/' ? '' : parent)) throw new Error(`cannot enter ${parent}`);
      const st = lstatOrNull(name);
      if (st?.isSymbolicLink()) throw new Error(`${d} became a symbolic link`);
      if (!st) mkdirSync(name, { mode: 0o755 });
      chmodSync(name, 0o755);
    }
  } finally {
    leave();
  }
}

export interface Ownership {
  mode: number;
  uid: number;
  gid: number;
}

/** Atomically puts BYTES at LOGICAL: exclusive temp file in the verified directory, fsync, rename. */
export function putFile(tree: Tree, logical: string, bytes: Buffer | string, own: Ownership): void {
  const dir = logical.slice(0, logical.lastIndexOf('/'));
  const name = logical.slice(logical.lastIndexOf('/') + 1);
  try {
    if (!enterDir(tree, dir)) throw new Error(`'${dir}' is not the verified directory`);
    const st = lstatOrNull(name);
    if (st && !st.isFile()) throw new Error(`'${logical}' is not a regular file`);
    dropLeftovers();
    const temp = TEMP_PREFIX + randomBytes(6).toString('hex');
    const fd = openSync(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
    try {
      writeSync(fd, typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes);
      fchmodSync(fd, own.mode);
      if (tree.euid === 0) fchownSync(fd, own.uid, own.gid);
      fsyncSync(fd);
    } catch (error) {
      closeSync(fd);
      unlinkSync(temp);
      throw error;
    }
    closeSync(fd);
    renameSync(temp, name);
    syncDir('.');
  } finally {
    leave();
  }
}

/** Removes LOGICAL from inside its verified directory; a directory that is gone means the file is gone. */
export function dropFile(tree: Tree, logical: string): void {
  const dir = logical.slice(0, logical.lastIndexOf('/'));
  const name = logical.slice(logical.lastIndexOf('/') + 1);
  try {
    if (!enterDir(tree, dir)) {
      if (lstatOrNull(physical(tree, dir)) === null) return;
      throw new Error(`'${dir}' is not the verified directory`);
    }
    dropLeftovers();
    if (lstatOrNull(name)) {
      unlinkSync(name);
      syncDir('.');
    }
  } finally {
    leave();
  }
}

/** Removes an empty directory we created (left alone when something else is in it now). */
export function dropDir(tree: Tree, logical: string): void {
  const parent = logical.slice(0, logical.lastIndexOf('/'));
  try {
    if (!enterDir(tree, parent)) return;
    rmdirSync(logical.slice(logical.lastIndexOf('/') + 1));
  } catch {
    // not empty or gone: leave it
  } finally {
    leave();
  }
}

export function syncDir(p: string): void {
  const fd = openSync(p, constants.O_RDONLY | constants.O_DIRECTORY);
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export const sha256 = (bytes: Buffer | string): string => createHash('sha256').update(bytes).digest('hex');

/** sha256 of a regular file, 'symlink', or 'absent'. */
export function fileHash(p: string): string {
  const st = lstatOrNull(p);
  if (!st) return 'absent';
  if (st.isSymbolicLink()) return 'symlink';
  return sha256(readFileSync(p));
}

/** Content, mode, uid and gid of a regular file (not following a link), or null when absent. */
export function readCurrent(p: string): { bytes: Buffer; own: Ownership } | null {
  const st = lstatOrNull(p);
  if (!st || !st.isFile()) return null;
  return { bytes: readFileSync(p), own: { mode: st.mode & 0o1777, uid: st.uid, gid: st.gid } };
}

export { chownSync };
