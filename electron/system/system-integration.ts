// The one-time "install system integration" for copies of GPU Ferry that do not come from a deb/rpm
// (AppImage): copies exactly the files of the system-files list (system-files.ts, the list the deb/rpm
// after-install installs) to their system paths, through @vscode/sudo-prompt. Root cannot read an
// AppImage mount, so the files are staged first; the privileged program then runs from
// /usr/libexec/gpu-ferry with the system's Node.js (checked first: nodejs >= 18 must be installed).
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
import { INSTALLED_HELPER_DIR } from './helper-paths';
import { readSystemFiles, sourcePath, type SystemFile } from './system-files';
import { systemNode } from './integration-status';

export interface IntegrationFile extends SystemFile {
  /** Name in the staging directory (unique: one source may go to two places). */
  staged: string;
}

/** The files install-integration installs: every line of the system-files list. */
export const integrationFiles = (): IntegrationFile[] => readSystemFiles().map((f, i) => ({ ...f, staged: `f${i}-${path.posix.basename(f.target)}` }));

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
export async function stageIntegration(): Promise<Stage> {
  const dir = await mkdtemp(path.join(tmpdir(), 'gpu-ferry-integration-'));
  if (!SAFE_DIR.test(dir)) {
    await rm(dir, { recursive: true, force: true });
    throw new Error(`temporary directory ${dir} has characters a shell would interpret; set TMPDIR to a plain path`);
  }
  const files: StagedFile[] = [];
  for (const file of integrationFiles()) {
    const source = sourcePath(file.source);
    if (!existsSync(source)) {
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

/** The root command removing every installed file of the list (and our directories when empty). */
export function removeCommand(files: readonly SystemFile[] = readSystemFiles()): string {
  for (const f of files) if (!SAFE_DIR.test(f.target)) throw new Error(`refusing a path a shell would interpret: ${f.target}`);
  const q = (s: string): string => `'${s}'`;
  const command = [
    'cd /',
    `rm -f -- ${files.map((f) => q(f.target)).join(' ')}`,
    `rmdir --ignore-fail-on-non-empty -- ${q(INSTALLED_HELPER_DIR)} '/usr/share/gpu-ferry/hooks' '/usr/share/gpu-ferry/handoff' 2>/dev/null || true`,
    `rmdir --ignore-fail-on-non-empty -- '/usr/share/gpu-ferry' 2>/dev/null || true`,
  ].join('; ');
  if (/[$`\\"]/.test(command)) throw new Error('remove command would be expanded by the outer shell');
  return command;
}

type SudoExec = (command: string, options: { name: string }, callback: (error?: Error, stdout?: string | Buffer, stderr?: string | Buffer) => void) => void;

/** Runs COMMAND as root: directly when we are root (a terminal as root, system tests), else one password prompt. */
async function runAsRoot(command: string, what: string): Promise<void> {
  const cwd = process.cwd();
  try {
    // sudo-prompt prefixes `cd "<cwd>"`: from "/" that runs nothing a user-chosen directory name could carry.
    process.chdir('/');
    if (process.getuid?.() === 0) {
      const { spawnSync } = await import('node:child_process');
      const r = spawnSync('/bin/bash', ['-c', command], { encoding: 'utf8', env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin' } });
      if (r.status !== 0) throw new Error(`${what} failed: ${r.stderr.trim() || `exit ${String(r.status)}`}`);
      return;
    }
    const sudo = (await import('@vscode/sudo-prompt')) as unknown as { exec: SudoExec; default?: { exec: SudoExec } };
    const exec = sudo.exec ?? sudo.default?.exec;
    if (!exec) throw new Error('@vscode/sudo-prompt is not usable here');
    await new Promise<void>((resolve, reject) =>
      exec(command, { name: 'GPU Ferry' }, (error, _stdout, stderr) =>
        error ? reject(new Error(`${what} failed: ${error.message}${stderr ? ` (${String(stderr).trim()})` : ''}`)) : resolve(),
      ),
    );
  } finally {
    process.chdir(cwd);
  }
}

/** Asks for the administrator password once and installs the system integration (Node.js checked first). */
export async function installSystemIntegration(): Promise<void> {
  const node = systemNode();
  if (!node.ok) throw new Error(node.message);
  const stage = await stageIntegration();
  try {
    await runAsRoot(installCommand(stage), 'installing the system integration');
  } finally {
    await rm(stage.dir, { recursive: true, force: true });
  }
}

/** Removes every file the system integration installed (never /etc/gpu-ferry, VMs or the journal). */
export async function removeSystemIntegration(): Promise<void> {
  await runAsRoot(removeCommand(), 'removing the system integration');
}
