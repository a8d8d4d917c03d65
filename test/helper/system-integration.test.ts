// The one-time install copies exactly the files of the system-files list (the deb/rpm after-install's
// list: launcher, privileged program, polkit policy, handoff runtime, ...) to their system paths,
// root-owned with the right modes. The command runs through the
// same string @vscode/sudo-prompt builds (`/bin/sh -c` of `cd "..."; /bin/bash -c "echo SUDOPROMPT; ..."`,
// only `"` escaped), so an expansion in the user's outer shell would show here. A private mount
// namespace binds temporary directories over /usr/libexec and /usr/share.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { integrationFiles, installCommand, stageIntegration } from '../../electron/system/system-integration';
import { sourcePath } from '../../electron/system/system-files';
import { removeTree } from './lib';

const sudoPromptSource = readFileSync(path.resolve(__dirname, '../../node_modules/@vscode/sudo-prompt/index.js'), 'utf8');

// What sudo-prompt's Linux() does with our command (minus the pkexec binary in front of /bin/bash).
const escapeDoubleQuotes = (s: string): string => s.replace(/"/g, '\\"');
const asSudoPromptRuns = (command: string): string =>
  `cd "${escapeDoubleQuotes('/')}"; /bin/bash -c "echo SUDOPROMPT; ${escapeDoubleQuotes(command)}"`;

function listFiles(dir: string, rel = ''): string[] {
  return readdirSync(path.join(dir, rel), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? listFiles(dir, path.join(rel, e.name)) : [`/${path.join(rel, e.name)}`],
  );
}

/** Runs the sudo-prompt string through /bin/sh with /usr/libexec and /usr/share replaced by empty temporary dirs. */
function runInstall(command: string): { status: number | null; stderr: string; stdout: string; libexec: string; share: string } {
  const libexec = mkdtempSync(path.join(tmpdir(), 'gpu-ferry-libexec-'));
  const share = mkdtempSync(path.join(tmpdir(), 'gpu-ferry-share-'));
  chmodSync(libexec, 0o755);
  chmodSync(share, 0o755);
  const ns = process.getuid?.() === 0 ? ['unshare', '-m', '--propagation', 'private'] : ['unshare', '-r', '-m', '--propagation', 'private'];
  const r = spawnSync(ns[0]!, [...ns.slice(1), 'bash', '-c', 'mount --bind "$1" /usr/libexec && mount --bind "$2" /usr/share && exec /bin/sh -c "$3"', 'ns', libexec, share, asSudoPromptRuns(command)], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', HOME: '/nonexistent', s: '/tmp/evil-s', d: '/tmp/evil-d', GPU_FERRY_DESTDIR: '/tmp/evil-d' },
  });
  return { status: r.status, stderr: r.stderr, stdout: r.stdout, libexec, share };
}

describe('install system integration', () => {
  it('our copy of sudo-prompt still wraps commands the way this test reproduces', () => {
    expect(sudoPromptSource).toContain(`return string.replace(/"/g, '\\\\"');`);
    expect(sudoPromptSource).toContain(`'/bin/bash -c "echo ' + EscapeDoubleQuotes(magic.trim()) + '; ' +`);
    expect(sudoPromptSource).toContain('EscapeDoubleQuotes(instance.command) +');
  });

  it('installs exactly the integration files, root-owned, with their modes, through the sudo-prompt string', async () => {
    const stage = await stageIntegration();
    try {
      const command = installCommand(stage);
      expect(command).not.toMatch(/[$`\\"]/);
      const r = runInstall(command);
      try {
        expect(r.status, r.stderr).toBe(0);
        expect(r.stdout).toBe('SUDOPROMPT\n');
        const installed = [...listFiles(r.libexec).map((f) => `/usr/libexec${f}`), ...listFiles(r.share).map((f) => `/usr/share${f}`)];
        const expected = integrationFiles();
        expect(expected.map((f) => f.target)).toContain('/usr/libexec/gpu-ferry/gpu-ferry-privileged.cjs');
        expect(installed.sort()).toEqual(expected.map((f) => f.target).sort());
        for (const f of expected) {
          const file = f.target.startsWith('/usr/libexec/') ? path.join(r.libexec, f.target.slice('/usr/libexec/'.length)) : path.join(r.share, f.target.slice('/usr/share/'.length));
          expect(readFileSync(file)).toEqual(readFileSync(sourcePath(f.source)));
          expect(statSync(file).mode & 0o7777, f.target).toBe(f.mode);
          if (process.getuid?.() === 0) expect(statSync(file).uid).toBe(0);
        }
      } finally {
        removeTree(r.libexec);
        removeTree(r.share);
      }
    } finally {
      removeTree(stage.dir);
    }
  });

  it('a staged file swapped for a symlink (or other bytes) is never installed', async () => {
    const stage = await stageIntegration();
    try {
      const command = installCommand(stage);
      // The stage is the user's: swap the helper for a link to a root-only file after hashing.
      const launcher = stage.files.find((f) => f.file.target.endsWith('/gpu-ferry-helper'))!.file.staged;
      rmSync(path.join(stage.dir, launcher));
      symlinkSync('/etc/shadow', path.join(stage.dir, launcher));
      const r = runInstall(command);
      try {
        expect(r.status).not.toBe(0);
        expect(r.stderr).toContain('not what was staged');
        expect(listFiles(r.libexec)).toEqual([]);
        expect(listFiles(r.share)).toEqual([]);
      } finally {
        removeTree(r.libexec);
        removeTree(r.share);
      }
    } finally {
      removeTree(stage.dir);
    }
  });

  it('refuses a stage path a shell would interpret', async () => {
    const stage = await stageIntegration();
    try {
      expect(() => installCommand({ ...stage, dir: '/tmp/x$(id)' })).toThrow(/shell would interpret/);
      expect(() => installCommand({ ...stage, dir: "/tmp/x'y" })).toThrow(/shell would interpret/);
    } finally {
      removeTree(stage.dir);
    }
  });
});

describe.runIf(process.getuid?.() === 0)('gpu-ferry install-integration', () => {
  it('reviews the list, installs it, --check reports it installed, --remove takes exactly it away', () => {
    const libexec = mkdtempSync(path.join(tmpdir(), 'gpu-ferry-libexec-'));
    const share = mkdtempSync(path.join(tmpdir(), 'gpu-ferry-share-'));
    chmodSync(libexec, 0o755);
    chmodSync(share, 0o755);
    const cli = path.resolve(__dirname, '../../dist/cli/gpu-ferry.cjs');
    // One namespace for the whole sequence: /usr/libexec and /usr/share are empty temporary directories.
    const script = [
      'mount --bind "$1" /usr/libexec && mount --bind "$2" /usr/share || exit 90',
      'node "$3" install-integration --check; echo "check-before=$?"',
      'node "$3" install-integration </dev/null; echo "no-terminal=$?"',
      'node "$3" install-integration --yes; echo "install=$?"',
      'node "$3" install-integration --check --json >"$2/status.json"; echo "check-after=$?"',
      'node "$3" install-integration --remove --yes; echo "remove=$?"',
    ].join('\n');
    try {
      const r = spawnSync('unshare', ['-m', '--propagation', 'private', 'bash', '-c', script, 'ns', libexec, share, cli], { encoding: 'utf8' });
      expect(r.stdout).toMatch(/check-before=1/);
      expect(r.stdout).toMatch(/no-terminal=8/);
      expect(r.stdout).toMatch(/Installs these files \(root-owned, with these modes\):\n {2}0755 {2}\/usr\/libexec\/gpu-ferry\/gpu-ferry-helper/);
      expect(r.stdout, r.stderr).toMatch(/install=0/);
      expect(r.stdout).toMatch(/check-after=0/);
      expect(r.stdout).toMatch(/remove=0/);
      const status = JSON.parse(readFileSync(path.join(share, 'status.json'), 'utf8')) as { installed: boolean; files: { target: string; state: string }[] };
      expect(status.installed).toBe(true);
      expect(status.files.map((f) => f.target).sort()).toEqual(integrationFiles().map((f) => f.target).sort());
      expect(listFiles(libexec)).toEqual([]);
      expect(listFiles(share)).toEqual(['/status.json']);
    } finally {
      removeTree(libexec);
      removeTree(share);
    }
  });
});
