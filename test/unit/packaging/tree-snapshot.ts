// A full description of a directory tree (type, mode, owner, content hash or link target per path),
// to assert that a script changed exactly the expected files and nothing else.
import { createHash } from 'node:crypto';
import { lstat, readdir, readFile, readlink } from 'node:fs/promises';
import path from 'node:path';

export interface Entry {
  type: 'file' | 'dir' | 'link';
  mode: number;
  uid: number;
  gid: number;
  /** sha256 of a file, the target of a link, '' for a directory. */
  content: string;
}

export async function snapshotTree(root: string): Promise<Map<string, Entry>> {
  const out = new Map<string, Entry>();
  const walk = async (rel: string): Promise<void> => {
    const abs = path.join(root, rel);
    const st = await lstat(abs);
    const base = { mode: st.mode & 0o7777, uid: st.uid, gid: st.gid };
    if (st.isSymbolicLink()) out.set(rel, { type: 'link', ...base, content: await readlink(abs) });
    else if (st.isDirectory()) {
      if (rel !== '') out.set(rel, { type: 'dir', ...base, content: '' });
      for (const name of (await readdir(abs)).sort()) await walk(path.join(rel, name));
    } else
      out.set(rel, {
        type: 'file',
        ...base,
        content: createHash('sha256')
          .update(await readFile(abs))
          .digest('hex'),
      });
  };
  await walk('');
  return out;
}

/** Paths added, removed or changed from `before` to `after`. */
export function diffTrees(
  before: Map<string, Entry>,
  after: Map<string, Entry>,
): { added: string[]; removed: string[]; changed: string[] } {
  const added = [...after.keys()].filter((k) => !before.has(k)).sort();
  const removed = [...before.keys()].filter((k) => !after.has(k)).sort();
  const changed = [...after.keys()]
    .filter((k) => before.has(k) && JSON.stringify(before.get(k)) !== JSON.stringify(after.get(k)))
    .sort();
  return { added, removed, changed };
}
