// A byte-exact picture of a directory tree (files by content, links by target), for "changed, then
// changed back" checks. GPU Ferry's own journal folder is left out: it records the apply and undo.
import { lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import path from 'node:path';

export const journalDir = 'var/lib/gpu-ferry';

export const snapshotTree = (root: string): Map<string, Buffer | string> => {
  const out = new Map<string, Buffer | string>();
  const walk = (rel: string) => {
    if (rel === journalDir) return;
    const abs = path.join(root, rel);
    const st = lstatSync(abs);
    if (st.isSymbolicLink()) out.set(rel, `-> ${readlinkSync(abs)}`);
    else if (st.isDirectory()) for (const e of readdirSync(abs)) walk(rel ? `${rel}/${e}` : e);
    else if (st.isFile()) out.set(rel, readFileSync(abs));
  };
  walk('');
  return out;
};

/** Paths whose bytes (or presence) differ between two snapshots. */
export const changedPaths = (a: Map<string, Buffer | string>, b: Map<string, Buffer | string>): string[] => {
  const keys = new Set([...a.keys(), ...b.keys()]);
  return [...keys]
    .filter((k) => {
      const x = a.get(k);
      const y = b.get(k);
      if (x === undefined || y === undefined) return x !== y;
      return typeof x === 'string' || typeof y === 'string' ? x !== y : !x.equals(y);
    })
    .sort();
};
