// The deb/rpm after-install and after-remove scripts, run for real against a temporary root
// (GPU_FERRY_DESTDIR) holding a fake installed app and the user's own data: exactly the expected files
// appear with root owner and the right modes, and removal takes away exactly those, never user data.
import { execFile } from 'node:child_process';
import {
  chmod,
  chown,
  cp,
  mkdir,
  mkdtemp,
  readFile,
  readlink,
  rm,
  symlink,
  writeFile,
} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { diffTrees, snapshotTree } from './tree-snapshot';

const run = promisify(execFile);
const repo = path.resolve(__dirname, '../../..');
const afterInstall = path.join(repo, 'build/linux/after-install.sh');
const afterRemove = path.join(repo, 'build/linux/after-remove.sh');
const APP = 'opt/GPU Ferry';

let root: string;
const script = (file: string, ...args: string[]) =>
  run('bash', [file, ...args], { env: { ...process.env, GPU_FERRY_DESTDIR: root } });

const INSTALLED: Record<string, { mode: number; source: string }> = {
  'usr/libexec/gpu-ferry/gpu-ferry-helper': { mode: 0o755, source: 'resources/helper/gpu-ferry-helper' },
  'usr/libexec/gpu-ferry/gpu-ferry-privileged.cjs': { mode: 0o644, source: 'dist/privileged/gpu-ferry-privileged.cjs' },
  'usr/libexec/gpu-ferry/gpu-ferry-handoff': { mode: 0o755, source: 'resources/handoff/gpu-ferry-handoff' },
  'usr/share/gpu-ferry/hooks/gpu-ferry': { mode: 0o755, source: 'resources/hooks/gpu-ferry' },
  // The handoff runtime's reference copy (kept for the handoff tools; the privileged program ships its own).
  'usr/share/gpu-ferry/handoff/gpu-ferry-handoff': { mode: 0o644, source: 'resources/handoff/gpu-ferry-handoff' },
  'usr/share/polkit-1/actions/io.github.gpuferry.policy': {
    mode: 0o644,
    source: 'resources/polkit/io.github.gpuferry.policy',
  },
  'usr/share/gpu-ferry/system-files.txt': { mode: 0o644, source: 'build/linux/system-files.txt' },
  'usr/share/metainfo/io.github.gpuferry.GpuFerry.metainfo.xml': {
    mode: 0o644,
    source: 'build/linux/io.github.gpuferry.GpuFerry.metainfo.xml',
  },
};
const NEW_DIRS = ['usr/libexec/gpu-ferry', 'usr/share/gpu-ferry', 'usr/share/gpu-ferry/hooks', 'usr/share/gpu-ferry/handoff'];

async function makeRoot(): Promise<void> {
  const res = path.join(root, APP, 'resources');
  for (const dir of ['helper', 'polkit', 'handoff', 'hooks'])
    await cp(path.join(repo, 'resources', dir), path.join(res, dir), { recursive: true });
  await cp(path.join(repo, 'dist/privileged/gpu-ferry-privileged.cjs'), path.join(res, 'helper/gpu-ferry-privileged.cjs'));
  await mkdir(path.join(res, 'linux'), { recursive: true });
  await cp(path.join(repo, 'build/linux/system-files.txt'), path.join(res, 'linux/system-files.txt'));
  await cp(
    path.join(repo, 'build/linux/io.github.gpuferry.GpuFerry.metainfo.xml'),
    path.join(res, 'linux/io.github.gpuferry.GpuFerry.metainfo.xml'),
  );
  await writeFile(path.join(root, APP, 'gpu-ferry'), '#!/bin/sh\n', { mode: 0o755 });
  await writeFile(path.join(root, APP, 'chrome-sandbox'), 'sandbox', { mode: 0o755 });
  await chown(path.join(root, APP, 'chrome-sandbox'), 1000, 1000);
  // The system as it is before installing, with the user's data that must survive removal.
  for (const dir of [
    'usr/bin',
    'usr/libexec',
    'usr/share/polkit-1/actions',
    'usr/share/metainfo',
    'etc/libvirt/hooks/qemu.d',
  ])
    await mkdir(path.join(root, dir), { recursive: true });
  const userFiles = {
    'etc/gpu-ferry/vms/win11.conf': 'MODE=single-gpu\n',
    'var/lib/gpu-ferry/journal/20260101-1/manifest': 'state=applied\n',
    'etc/libvirt/qemu/win11.xml': '<domain/>\n',
    'etc/libvirt/hooks/qemu.d/gpu-ferry': '#!/bin/bash\n# installed by a plan\n',
  };
  for (const [rel, text] of Object.entries(userFiles)) {
    await mkdir(path.dirname(path.join(root, rel)), { recursive: true });
    await writeFile(path.join(root, rel), text);
  }
  await chmod(path.join(root, 'etc/libvirt/hooks/qemu.d/gpu-ferry'), 0o755);
}

beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'gpuferry-pkg-'));
  await makeRoot();
});
afterEach(async () => rm(root, { recursive: true, force: true }));

describe('after-install / after-remove', () => {
  it('pass shellcheck and contain no electron-builder template macros', async () => {
    await run('shellcheck', ['-s', 'bash', afterInstall, afterRemove]);
    for (const file of [afterInstall, afterRemove]) {
      // electron-builder replaces ${letters} and fails on unknown names (app-builder-lib FpmTarget writeConfigFile).
      expect(await readFile(file, 'utf8')).not.toMatch(/\$\{[a-zA-Z]+\}/);
    }
  });

  it('installs exactly the system files, root-owned with their modes, and fixes chrome-sandbox', async () => {
    expect(process.getuid?.()).toBe(0); // owner checks need root (CI and this machine run as root)
    const before = await snapshotTree(root);
    await script(afterInstall, 'configure');
    const after = await snapshotTree(root);
    const diff = diffTrees(before, after);
    expect(diff.removed).toEqual([]);
    expect(diff.added).toEqual([...Object.keys(INSTALLED), ...NEW_DIRS, 'usr/bin/gpu-ferry'].sort());
    expect(diff.changed).toEqual([`${APP}/chrome-sandbox`]);
    for (const [rel, want] of Object.entries(INSTALLED)) {
      const entry = after.get(rel)!;
      expect({ rel, type: entry.type, mode: entry.mode, uid: entry.uid, gid: entry.gid }).toEqual({
        rel,
        type: 'file',
        mode: want.mode,
        uid: 0,
        gid: 0,
      });
      expect(entry.content).toBe(
        (await snapshotTree(path.dirname(path.join(repo, want.source)))).get(path.basename(want.source))!
          .content,
      );
    }
    for (const dir of NEW_DIRS)
      expect(after.get(dir)).toMatchObject({ type: 'dir', mode: 0o755, uid: 0, gid: 0 });
    expect(await readlink(path.join(root, 'usr/bin/gpu-ferry'))).toBe('/opt/GPU Ferry/gpu-ferry');
    const sandbox = after.get(`${APP}/chrome-sandbox`)!;
    expect(sandbox.uid).toBe(0);
    expect([0o4755, 0o755]).toContain(sandbox.mode);

    await script(afterInstall, 'configure'); // idempotent
    expect(diffTrees(after, await snapshotTree(root))).toEqual({ added: [], removed: [], changed: [] });
  });

  it('removes exactly what it installed and keeps configs, VM definitions, the journal and the hook', async () => {
    const before = await snapshotTree(root);
    await script(afterInstall, 'configure');
    const installed = await snapshotTree(root);
    await script(afterRemove, 'upgrade'); // deb upgrade: nothing removed
    await script(afterRemove, '1'); // rpm upgrade: nothing removed
    expect(diffTrees(installed, await snapshotTree(root))).toEqual({ added: [], removed: [], changed: [] });
    await script(afterRemove, 'remove');
    const diff = diffTrees(before, await snapshotTree(root));
    expect(diff).toEqual({ added: [], removed: [], changed: [`${APP}/chrome-sandbox`] });
  });

  it('leaves existing system directories as they are', async () => {
    await chmod(path.join(root, 'usr/share/metainfo'), 0o775);
    await script(afterInstall, 'configure');
    expect((await snapshotTree(root)).get('usr/share/metainfo')).toMatchObject({ type: 'dir', mode: 0o775 });
  });

  it('leaves a /usr/bin/gpu-ferry that is not ours', async () => {
    await symlink('/usr/local/bin/something-else', path.join(root, 'usr/bin/gpu-ferry'));
    await script(afterRemove, 'remove');
    expect(await readlink(path.join(root, 'usr/bin/gpu-ferry'))).toBe('/usr/local/bin/something-else');
  });

  it('refuses an incomplete package and installs nothing', async () => {
    await rm(path.join(root, APP, 'resources/handoff/gpu-ferry-handoff'));
    const before = await snapshotTree(root);
    await expect(script(afterInstall, 'configure')).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('handoff/gpu-ferry-handoff is missing'),
    });
    expect(diffTrees(before, await snapshotTree(root))).toEqual({ added: [], removed: [], changed: [] });
  });
});
