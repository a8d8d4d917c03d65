// The one-time "install system integration" for copies of GPU Ferry that do not come from a deb/rpm
// (AppImage): copies exactly the helper, its allowlist, the polkit policy and the handoff runtime to their
// system paths, through @vscode/sudo-prompt. The shell command is a constant; the only data it sees is the
// staging directory, passed in the environment and checked to hold only plain path characters first.
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { INSTALLED_ALLOWLIST, INSTALLED_HELPER, INSTALLED_POLICY, findBundledHelper } from './helper-paths';

/** Source (under resources/) → staged name; the install command below knows these names and nothing else. */
export const INTEGRATION_FILES = [
  { source: ['helper', 'gpu-ferry-helper'], staged: 'gpu-ferry-helper', target: INSTALLED_HELPER, mode: 0o755, optional: false },
  { source: ['helper', 'allowlist.conf'], staged: 'allowlist.conf', target: INSTALLED_ALLOWLIST, mode: 0o644, optional: false },
  { source: ['polkit', 'io.github.gpuferry.policy'], staged: 'io.github.gpuferry.policy', target: INSTALLED_POLICY, mode: 0o644, optional: false },
  { source: ['handoff', 'gpu-ferry-handoff'], staged: 'gpu-ferry-handoff', target: '/usr/libexec/gpu-ferry/gpu-ferry-handoff', mode: 0o755, optional: true },
] as const;

/** Runs as root. GPU_FERRY_DESTDIR (unset in real use) lets tests install into a directory. */
export const INSTALL_COMMAND = [
  'set -e',
  'umask 022',
  's="$GPU_FERRY_STAGE"',
  'd="${GPU_FERRY_DESTDIR:-}"',
  'install -d -m 0755 "$d/usr/libexec/gpu-ferry" "$d/usr/share/polkit-1/actions"',
  'install -m 0755 -o root -g root "$s/gpu-ferry-helper" "$d/usr/libexec/gpu-ferry/gpu-ferry-helper"',
  'install -m 0644 -o root -g root "$s/allowlist.conf" "$d/usr/libexec/gpu-ferry/allowlist.conf"',
  'install -m 0644 -o root -g root "$s/io.github.gpuferry.policy" "$d/usr/share/polkit-1/actions/io.github.gpuferry.policy"',
  'if [ -f "$s/gpu-ferry-handoff" ]; then install -m 0755 -o root -g root "$s/gpu-ferry-handoff" "$d/usr/libexec/gpu-ferry/gpu-ferry-handoff"; fi',
].join('; ');

const SAFE_DIR = /^\/[A-Za-z0-9/._-]+$/;

/** Copies this copy's files into a fresh private directory with the fixed names INSTALL_COMMAND expects. */
export async function stageIntegration(resourcesDir = path.join(path.dirname(findBundledHelper()), '..')): Promise<string> {
  const stage = await mkdtemp(path.join(tmpdir(), 'gpu-ferry-integration-'));
  if (!SAFE_DIR.test(stage)) {
    await rm(stage, { recursive: true, force: true });
    throw new Error(`temporary directory ${stage} has characters a shell would interpret; set TMPDIR to a plain path`);
  }
  for (const file of INTEGRATION_FILES) {
    const source = path.join(resourcesDir, ...file.source);
    if (!existsSync(source)) {
      if (file.optional) continue;
      await rm(stage, { recursive: true, force: true });
      throw new Error(`missing ${source}: this copy of GPU Ferry is incomplete`);
    }
    await copyFile(source, path.join(stage, file.staged));
  }
  return stage;
}

type SudoExec = (command: string, options: { name: string; env: Record<string, string> }, callback: (error?: Error, stdout?: string | Buffer, stderr?: string | Buffer) => void) => void;

/** Asks for the administrator password once and installs the system integration. */
export async function installSystemIntegration(): Promise<void> {
  const stage = await stageIntegration();
  try {
    const sudo = (await import('@vscode/sudo-prompt')) as unknown as { exec: SudoExec; default?: { exec: SudoExec } };
    const exec = sudo.exec ?? sudo.default?.exec;
    if (!exec) throw new Error('@vscode/sudo-prompt is not usable here');
    await new Promise<void>((resolve, reject) =>
      exec(INSTALL_COMMAND, { name: 'GPU Ferry', env: { GPU_FERRY_STAGE: stage } }, (error, _stdout, stderr) =>
        error ? reject(new Error(`installing the system integration failed: ${error.message}${stderr ? ` (${String(stderr).trim()})` : ''}`)) : resolve(),
      ),
    );
  } finally {
    await rm(stage, { recursive: true, force: true });
  }
}

