// Reads files under a root directory for the scanner, never throwing for missing or unreadable parts,
// and optionally recording every path it touched so `gpu-ferry snapshot` captures exactly what a scan
// reads. Synchronous fs calls behind an async-friendly API: thousands of tiny sysfs reads are several
// times faster this way than through fs/promises (see test/bench).
import { closeSync, openSync, readSync, readlinkSync, readdirSync, lstatSync, statSync } from 'node:fs';
import path from 'node:path';

export interface SnapshotRecord {
  files: Record<string, string>;
  symlinks: Record<string, string>;
  dirs: string[];
  /** Paths the scan found private (isPrivate): a replay makes them private again, without content. */
  private: string[];
}

/** Reused read buffer: sysfs attributes are tiny, and skipping readFileSync's fstat+alloc per file halves a big scan. */
let buffer = Buffer.allocUnsafe(64 * 1024);

/** Reads a whole file; grows the buffer for large ones (pci.ids is read elsewhere). */
function readWhole(file: string): string {
  const fd = openSync(file, 'r');
  try {
    let length = 0;
    for (;;) {
      if (length === buffer.length) {
        const bigger = Buffer.allocUnsafe(buffer.length * 2);
        buffer.copy(bigger, 0, 0, length);
        buffer = bigger;
      }
      const n = readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) break;
      length += n;
    }
    return buffer.toString('utf8', 0, length);
  } finally {
    closeSync(fd);
  }
}

export class HostReader {
  /** Non-fatal problems (permission denied, odd errors); missing paths are not problems. */
  readonly notes: string[] = [];
  private readonly record: SnapshotRecord | null;

  constructor(
    readonly root: string,
    options: { record?: boolean } = {},
  ) {
    this.record = options.record ? { files: {}, symlinks: {}, dirs: [], private: [] } : null;
  }

  /** The absolute path on this machine for a path of the scanned host. */
  at(p: string): string {
    return this.root === '/' ? p : path.join(this.root, p);
  }

  private problem(p: string, error: unknown): void {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return;
    this.notes.push(`cannot read ${p}: ${code ?? String(error)}`);
  }

  /** File content, or null when missing or unreadable. */
  text(p: string, options: { record?: boolean } = {}): string | null {
    try {
      const content = readWhole(this.at(p));
      if (this.record && options.record !== false) this.record.files[p] = content;
      return content;
    } catch (error) {
      this.problem(p, error);
      return null;
    }
  }

  /** First line of a file, trimmed (sysfs attributes). */
  attr(p: string): string | null {
    const t = this.text(p);
    return t === null ? null : t.trim();
  }

  /** The target of a symbolic link, or null. */
  link(p: string): string | null {
    try {
      const target = readlinkSync(this.at(p));
      if (this.record) this.record.symlinks[p] = target;
      return target;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EINVAL') this.problem(p, error);
      return null;
    }
  }

  /**
   * Directory entries (sorted), or null when the directory is missing. `record: false` when only the
   * entries the scan then reads matter (they are recorded as they are read).
   */
  list(p: string, options: { record?: boolean } = {}): string[] | null {
    try {
      const names = readdirSync(this.at(p)).sort();
      if (this.record && options.record !== false) {
        this.record.dirs.push(p);
        for (const name of names) this.recordPresence(path.posix.join(p, name));
      }
      return names;
    } catch (error) {
      this.problem(p, error);
      return null;
    }
  }

  /**
   * Whether `p` is private: not every user may read it. True when it exists and denies others read (a
   * folder: read and search), or when a folder above it (under the root) denies others search, so whether
   * it exists is not for everyone to know either. Decided from the permission bits alone, the same for
   * whoever scans: root leaves out what the user cannot read, and both compute the same plan.
   */
  isPrivate(p: string): boolean {
    const parts = p.split('/').filter(Boolean);
    let at = '';
    for (let i = 0; i < parts.length; i++) {
      at += `/${parts[i]}`;
      let mode: number;
      let dir: boolean;
      try {
        const st = statSync(this.at(at));
        mode = st.mode;
        dir = st.isDirectory();
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOENT' || code === 'ENOTDIR') return false; // absent: not private
        this.record?.private.push(p); // not allowed to look: private
        return true;
      }
      const last = i === parts.length - 1;
      const needs = !last ? 0o001 : dir ? 0o005 : 0o004;
      if ((mode & needs) !== needs) {
        this.record?.private.push(p);
        return true;
      }
    }
    return false;
  }

  /** Whether a path exists (following links). */
  exists(p: string): boolean {
    try {
      if (!statSync(this.at(p), { throwIfNoEntry: false })) return false;
      if (this.record) this.recordPresence(p);
      return true;
    } catch {
      return false;
    }
  }

  /** Records a path whose existence (not content) the scan depends on. */
  private recordPresence(p: string): void {
    const rec = this.record;
    if (!rec || p in rec.files || p in rec.symlinks) return;
    try {
      const st = lstatSync(this.at(p));
      if (st.isSymbolicLink()) rec.symlinks[p] = readlinkSync(this.at(p));
      else if (st.isDirectory()) rec.dirs.push(p);
      else rec.files[p] = '';
    } catch {
      // Vanished between listing and stat: nothing to record.
    }
  }

  /** What was recorded: links that are parents of recorded paths are left out (they replay as directories). */
  recorded(): SnapshotRecord {
    const rec = this.record ?? { files: {}, symlinks: {}, dirs: [], private: [] };
    const parents = new Set<string>();
    for (const p of [...Object.keys(rec.files), ...Object.keys(rec.symlinks), ...rec.dirs]) {
      for (let d = path.posix.dirname(p); d !== '/'; d = path.posix.dirname(d)) parents.add(d);
    }
    const symlinks = Object.fromEntries(
      Object.entries(rec.symlinks).filter(([p]) => !parents.has(p) && !(p in rec.files)),
    );
    const dirs = [...new Set(rec.dirs)].filter((d) => !(d in symlinks)).sort();
    return { files: rec.files, symlinks, dirs, private: [...new Set(rec.private)].sort() };
  }
}
