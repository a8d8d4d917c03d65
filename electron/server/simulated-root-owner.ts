// The helper never accepts --root when it runs as root (DESIGN.md: least privilege), so a simulated
// machine served by root is handed to the unprivileged `nobody` account, which the helper then runs as.
import { lchown, lstat, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

const nobodyIds = async (): Promise<{ uid: number; gid: number }> => {
  try {
    const line = (await readFile('/etc/passwd', 'utf8')).split('\n').find((l) => l.startsWith('nobody:'));
    const [, , uid, gid] = line?.split(':') ?? [];
    if (uid && gid) return { uid: Number(uid), gid: Number(gid) };
  } catch {
    // fall through to the conventional ids
  }
  return { uid: 65534, gid: 65534 };
};

const chownTree = async (p: string, uid: number, gid: number): Promise<void> => {
  await lchown(p, uid, gid);
  if ((await lstat(p)).isDirectory()) {
    for (const entry of await readdir(p)) await chownTree(path.join(p, entry), uid, gid);
  }
};

/** When running as root, gives the tree to `nobody`; otherwise leaves it with the current user. */
export const handSimulatedRootToUser = async (root: string): Promise<void> => {
  if (process.getuid?.() !== 0) return;
  const { uid, gid } = await nobodyIds();
  await chownTree(root, uid, gid);
};
