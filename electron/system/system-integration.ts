// The one-time "install system integration" for copies of GPU Ferry that do not come from a deb/rpm
// (AppImage): copies exactly the helper, its allowlist, the polkit policy, the handoff runtime and the
// helper's reference copies (hook and runtime, for its `same` content rules) to their system paths,
// through @vscode/sudo-prompt.
//
// sudo-prompt runs `/bin/bash -c "<command>"`, escaping only `"`: `$`, backticks and backslashes would be
// expanded by the user's outer shell before root sees the command. So the command holds no `$`, no
// backtick, no backslash and no environment data: the staging directory is written into it literally
// (checked to hold only plain path characters), and each installed copy is checked against the SHA-256
// of the file we staged, so a file swapped in the user-owned staging directory is removed, not kept.
import { createHash } from 'node:crypto';
import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { INSTALLED_HELPER, INSTALLED_HELPER_DIR, INSTALLED_POLICY, INSTALLED_PRIVILEGED, findBundledHelper, findBundledPrivileged } from './helper-paths';

/** Where the helper (as root) finds the reference copies its allowlist's `same` rules name; deb/rpm use the same. */
export const INSTALLED_REFERENCE_DIR = '/usr/share/gpu-ferry';

export interface IntegrationFile {
  source: readonly string[];
  staged: string;
  target: string;
  mode: number;
  optional: boolean;
}

/** Source (under resources/) → staged name → installed path. */
export const INTEGRATION_FILES: readonly IntegrationFile[] = [
  { source: ['helper', 'gpu-ferry-helper'], staged: 'gpu-ferry-helper', target: INSTALLED_HELPER, mode: 0o755, optional: false },
  { source: ['helper', 'gpu-ferry-privileged.cjs'], staged: 'gpu-ferry-privileged.cjs', target: INSTALLED_PRIVILEGED, mode: 0o644, optional: false },
  { source: ['polkit', 'io.github.gpuferry.policy'], staged: 'io.github.gpuferry.policy', target: INSTALLED_POLICY, mode: 0o644, optional: false },
  { source: ['handoff', 'gpu-ferry-handoff'], staged: 'gpu-ferry-handoff', target: `${INSTALLED_HELPER_DIR}/gpu-ferry-handoff`, mode: 0o755, optional: true },
  { source: ['handoff', 'gpu-ferry-handoff'], staged: 'reference-handoff', target: `${INSTALLED_REFERENCE_DIR}/handoff/gpu-ferry-handoff`, mode: 0o644, optional: true },
  { source: ['hooks', 'gpu-ferry'], staged: 'reference-hook', target: `${INSTALLED_REFERENCE_DIR}/hooks/gpu-ferry`, mode: 0o755, optional: true },
];

const SAFE_DIR = /^\/[A-Za-z0-9/._-]+$/;
const SHA256 = /^[0-9a-f]{64}$/;

export interface StagedFile {
  file: IntegrationFile;
  sha256: string;
}

export interface Stage {
  dir: string;
  files: StagedFile[];
}

/** Copies this copy's files into a fresh private directory and records the SHA-256 of each staged copy. */
export async function stageIntegration(resourcesDir = path.join(path.dirname(findBundledHelper()), '..')): Promise<Stage> {
  const dir = await mkdtemp(path.join(tmpdir(), 'gpu-ferry-integration-'));
  if (!SAFE_DIR.test(dir)) {
    await rm(dir, { recursive: true, force: true });
    throw new Error(`temporary directory ${dir} has characters a shell would interpret; set TMPDIR to a plain path`);
  }
  const files: StagedFile[] = [];
  for (const file of INTEGRATION_FILES) {
    const source = file.staged === 'gpu-ferry-privileged.cjs' ? findBundledPrivileged() : path.join(resourcesDir, ...file.source);
    if (!existsSync(source)) {
      if (file.optional) continue;
      await rm(dir, { recursive: true, force: true });
      throw new Error(`missing ${source}: this copy of GPU Ferry is incomplete`);
    }
    const staged = path.join(dir, file.staged);
    await copyFile(source, staged);
    files.push({ file, sha256: createHash('sha256').update(await readFile(staged)).digest('hex') });
  }
  return { dir, files };
}

/** Root's private copy of the stage: the user-owned stage is read once, without following symlinks. */
export const PRIVATE_STAGE = `${INSTALLED_HELPER_DIR}/.install`;

/**
 * The root command for a stage: plain words in single quotes, no `$`, backtick or backslash anywhere (the
 * outer shell sudo-prompt uses would expand them). Root first copies the staged files (symlinks as
 * symlinks) into a directory only it can read, checks each copy is a regular file with the staged
 * SHA-256, and installs from there: a file swapped in the user's stage directory is never installed.
 */
export function installCommand(stage: Stage): string {
  const words = [stage.dir, ...stage.files.flatMap((s) => [s.file.target, s.file.staged])];
  for (const w of words) if (!SAFE_DIR.test(w.startsWith('/') ? w : `/${w}`)) throw new Error(`refusing a path a shell would interpret: ${w}`);
  for (const s of stage.files) if (!SHA256.test(s.sha256)) throw new Error(`not a SHA-256: ${s.sha256}`);
  const q = (s: string): string => `'${s}'`;
  const own = (s: StagedFile): string => q(`${PRIVATE_STAGE}/${s.file.staged}`);
  const dirs = [...new Set(stage.files.map((s) => path.posix.dirname(s.file.target)))];
  const fail = `{ rm -rf -- ${q(PRIVATE_STAGE)}; echo 'gpu-ferry: a staged file is not what was staged; nothing installed' >&2; exit 1; }`;
  const command = [
    'set -e',
    'umask 077',
    'cd /',
    `install -d -m 0755 ${q(INSTALLED_HELPER_DIR)}`,
    `rm -rf -- ${q(PRIVATE_STAGE)}`,
    `install -d -m 0700 ${q(PRIVATE_STAGE)}`,
    ...stage.files.map((s) => `cp -P -- ${q(`${stage.dir}/${s.file.staged}`)} ${own(s)}`),
    ...stage.files.map((s) => `{ test -f ${own(s)} && test ! -L ${own(s)} && echo ${q(`${s.sha256}  ${PRIVATE_STAGE}/${s.file.staged}`)} | sha256sum --check --status -; } || ${fail}`),
    'umask 022',
    `install -d -m 0755 ${dirs.map(q).join(' ')}`,
    ...stage.files.map((s) => `install -m ${s.file.mode.toString(8).padStart(4, '0')} -o root -g root ${own(s)} ${q(s.file.target)}`),
    `rm -rf -- ${q(PRIVATE_STAGE)}`,
  ].join('; ');
  if (/[$`\\"]/.test(command)) throw new Error('install command would be expanded by the outer shell');
  return command;
}

type SudoExec = (command: string, options: { name: string }, callback: (error?: Error, stdout?: string | Buffer, stderr?: string | Buffer) => void) => void;

/** Asks for the administrator password once and installs the system integration. */
export async function installSystemIntegration(): Promise<void> {
  const stage = await stageIntegration();
  const cwd = process.cwd();
  try {
    const sudo = (await import('@vscode/sudo-prompt')) as unknown as { exec: SudoExec; default?: { exec: SudoExec } };
    const exec = sudo.exec ?? sudo.default?.exec;
    if (!exec) throw new Error('@vscode/sudo-prompt is not usable here');
    const command = installCommand(stage);
    // sudo-prompt prefixes `cd "<cwd>"`: from "/" that runs nothing a user-chosen directory name could carry.
    process.chdir('/');
    await new Promise<void>((resolve, reject) =>
      exec(command, { name: 'GPU Ferry' }, (error, _stdout, stderr) =>
        error ? reject(new Error(`installing the system integration failed: ${error.message}${stderr ? ` (${String(stderr).trim()})` : ''}`)) : resolve(),
      ),
    );
  } finally {
    process.chdir(cwd);
    await rm(stage.dir, { recursive: true, force: true });
  }
}
