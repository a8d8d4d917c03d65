// Whether a Looking Glass client is running for this user: a process whose command name is the
// client's (the kernel truncates comm to 15 characters: "looking-glass-c").
import { readdir, readFile } from 'node:fs/promises';

export async function lookingGlassRunning(proc = '/proc'): Promise<boolean> {
  for (const pid of await readdir(proc).catch(() => [] as string[])) {
    if (!/^\d+$/.test(pid)) continue;
    const comm = await readFile(`${proc}/${pid}/comm`, 'utf8').catch(() => '');
    if (comm.trim() === 'looking-glass-c' || comm.trim() === 'looking-glass-client') return true;
  }
  return false;
}
