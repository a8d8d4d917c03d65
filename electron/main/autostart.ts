// The XDG autostart entry (~/.config/autostart/gpu-ferry.desktop): after a single-GPU handoff the
// desktop session restarts, and this entry brings GPU Ferry back with the handoff report. Opt-in through
// settings (on by default for single-GPU users). Exec quoting follows the Desktop Entry Specification.
import { mkdir, rm, readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../system/atomic-write';
import os from 'node:os';
import path from 'node:path';

export const AUTOSTART_FILE_NAME = 'gpu-ferry.desktop';
export const AFTER_LOGIN_FLAG = '--after-login';

const RESERVED = /[\s"'\\><~|&;$*?#()`]/;

/** One Exec argument: quoted when it holds reserved characters; "%" doubled; then string-escaped. */
export function quoteExecArg(arg: string): string {
  if (/[\0\n\r]/.test(arg)) throw new Error('An autostart command cannot contain NUL or line breaks.');
  const percent = arg.replace(/%/g, '%%');
  const quoted = RESERVED.test(percent) ? `"${percent.replace(/([\\"`$])/g, '\\$1')}"` : percent;
  return quoted.replace(/\\/g, '\\\\'); // the value itself is an escaped string (spec: "Exec key")
}

export function autostartEntry(argv: string[]): string {
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=GPU Ferry',
    'Comment=Shows the GPU handoff report after the desktop comes back',
    `Exec=${argv.map(quoteExecArg).join(' ')}`,
    'Icon=gpu-ferry',
    'Terminal=false',
    'NoDisplay=true',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

export const autostartDir = (env: NodeJS.ProcessEnv = process.env): string =>
  path.join(
    env.XDG_CONFIG_HOME && path.isAbsolute(env.XDG_CONFIG_HOME)
      ? env.XDG_CONFIG_HOME
      : path.join(os.homedir(), '.config'),
    'autostart',
  );

/** Install (enabled) or remove (disabled) the entry; returns whether the file changed. */
export async function applyAutostart(
  enabled: boolean,
  argv: string[],
  dir = autostartDir(),
): Promise<boolean> {
  const file = path.join(dir, AUTOSTART_FILE_NAME);
  const current = await readFile(file, 'utf8').catch(() => null);
  if (!enabled) {
    if (current === null) return false;
    await rm(file, { force: true });
    return true;
  }
  const wanted = autostartEntry([...argv, AFTER_LOGIN_FLAG]);
  if (current === wanted) return false;
  await mkdir(dir, { recursive: true });
  await writeFileAtomic(file, wanted, 0o644);
  return true;
}
