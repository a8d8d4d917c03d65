// User and group names of a plan's write-file steps → numeric ids, from the tree's own /etc/passwd and
// /etc/group (root's files on the real system). Only root:root is ever written (guard-files.ts).
import { readFileSync } from 'node:fs';

function lookup(file: string, name: string): number {
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    // fall through
  }
  for (const line of text.split('\n')) {
    const f = line.split(':');
    if (f[0] === name && /^\d+$/.test(f[2] ?? '')) return Number(f[2]);
  }
  if (name === 'root') return 0;
  throw new Error(`no ${name} in ${file}`);
}

export const getpwnam = (name: string): number => lookup('/etc/passwd', name);
export const getgrnam = (name: string): number => lookup('/etc/group', name);
