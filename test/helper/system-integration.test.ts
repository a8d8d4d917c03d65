// The one-time install copies exactly the helper, allowlist, policy (and handoff runtime) to their system
// paths with root ownership and the right modes. Runs the real constant install command in a DESTDIR.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { INSTALL_COMMAND, INTEGRATION_FILES, stageIntegration } from '../../electron/system/system-integration';
import { removeTree } from './lib';

const resources = path.resolve(__dirname, '../../resources');

function listFiles(dir: string, rel = ''): string[] {
  return readdirSync(path.join(dir, rel), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? listFiles(dir, path.join(rel, e.name)) : [`/${path.join(rel, e.name)}`],
  );
}

describe('install system integration', () => {
  it('installs exactly the integration files, root-owned, with their modes', async () => {
    const stage = await stageIntegration(resources);
    const dest = mkdtempSync(path.join(tmpdir(), 'gpu-ferry-destdir-'));
    try {
      // As a user, a user namespace makes `install -o root` possible without real root.
      const argv = process.getuid?.() === 0 ? ['bash', '-c', INSTALL_COMMAND] : ['unshare', '-r', 'bash', '-c', INSTALL_COMMAND];
      const r = spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8', env: { PATH: process.env.PATH ?? '', GPU_FERRY_STAGE: stage, GPU_FERRY_DESTDIR: dest } });
      expect(r.status, r.stderr).toBe(0);
      const expected = INTEGRATION_FILES.filter((f) => !f.optional || statSync(path.join(resources, ...f.source), { throwIfNoEntry: false }));
      expect(listFiles(dest).sort()).toEqual(expected.map((f) => f.target).sort());
      for (const f of expected) {
        const installed = path.join(dest, f.target);
        expect(readFileSync(installed)).toEqual(readFileSync(path.join(resources, ...f.source)));
        expect(statSync(installed).mode & 0o7777, f.target).toBe(f.mode);
        if (process.getuid?.() === 0) expect(statSync(installed).uid).toBe(0);
      }
    } finally {
      removeTree(stage);
      removeTree(dest);
    }
  });

  it('the install command is a constant that takes no data but the staging directory', () => {
    expect(INSTALL_COMMAND).not.toMatch(/\$\{?(?!GPU_FERRY_STAGE|GPU_FERRY_DESTDIR|s\b|d\b)[A-Za-z_]/);
  });
});
