// The installed layout, as `node build/stage-install.mjs DESTDIR` lays it out the way the deb installs it
// (after-install.sh over build/linux/system-files.txt): the launcher pkexec runs starts the privileged
// program beside it with the system's Node.js and an empty environment. Shown here on a fixture tree: a
// request applies through the staged launcher, and an environment variable the caller sets (here the
// test crash hook, honoured by the bundle when run directly) never reaches the program.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asNobody, fixtureTree, giveAway, lines, planOn, removeTree, request } from './lib';

const repo = path.resolve(__dirname, '../..');
let dest = '';
beforeAll(() => {
  dest = mkdtempSync(path.join(tmpdir(), 'gpu-ferry-stage-'));
  chmodSync(dest, 0o755); // the launcher runs as nobody here
  const r = spawnSync(process.execPath, [path.join(repo, 'build/stage-install.mjs'), dest], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
}, 120_000);
afterAll(() => removeTree(dest));

const launcher = (): string => path.join(dest, 'usr/libexec/gpu-ferry/gpu-ferry-helper');

describe('the staged launcher', () => {
  it('is installed root-owned beside the bundle, with the modes of the system-files list', () => {
    for (const [file, mode] of [
      ['gpu-ferry-helper', 0o755],
      ['gpu-ferry-privileged.cjs', 0o644],
    ] as const) {
      const st = statSync(path.join(dest, 'usr/libexec/gpu-ferry', file));
      expect(st.mode & 0o7777, file).toBe(mode);
      if (process.getuid?.() === 0) expect(st.uid, file).toBe(0);
    }
  });

  it('runs the privileged program with an empty environment: a request applies, caller variables do not reach it', async () => {
    const root = await fixtureTree('distro-debian');
    try {
      const input = request('iommu', {}, await planOn(root, 'iommu'));
      const argv = asNobody([launcher()]);
      const r = spawnSync(argv[0]!, [...argv.slice(1), '--root', root, 'apply'], {
        input,
        encoding: 'utf8',
        env: { PATH: `/nonexistent:${process.env.PATH ?? ''}`, NODE_OPTIONS: '--require /nonexistent/evil.js', GPU_FERRY_TEST_CRASH_AFTER: '0' },
      });
      expect(r.signal).toBeNull();
      expect(r.status, r.stdout + r.stderr).toBe(0);
      expect(lines(r.stdout)).toContainEqual({ type: 'done', steps: 2 });
    } finally {
      removeTree(root);
    }
  });

  it('started through a link elsewhere, still runs the bundle beside its real file, not one beside the link', async () => {
    const root = await fixtureTree('distro-debian');
    const elsewhere = mkdtempSync(path.join(tmpdir(), 'gpu-ferry-link-'));
    try {
      chmodSync(elsewhere, 0o755);
      symlinkSync(launcher(), path.join(elsewhere, 'gpu-ferry-helper'));
      writeFileSync(path.join(elsewhere, 'gpu-ferry-privileged.cjs'), "process.stdout.write('not ours\\n');\n");
      giveAway(elsewhere);
      const argv = asNobody([path.join(elsewhere, 'gpu-ferry-helper')]);
      const input = request('iommu', {}, await planOn(root, 'iommu'));
      const r = spawnSync(argv[0]!, [...argv.slice(1), '--root', root, 'apply'], { input, encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });
      expect(r.stdout).not.toContain('not ours');
      expect(r.status, r.stdout + r.stderr).toBe(0);
      expect(lines(r.stdout)).toContainEqual({ type: 'done', steps: 2 });
    } finally {
      removeTree(root);
      removeTree(elsewhere);
    }
  });
});
