// "Restart now" after a plan that needs a reboot: the system's own `systemctl reboot` (logind asks for
// permission through polkit when the person's session may not reboot on its own). Fixed argv, no shell.
import { execFile } from 'node:child_process';

export class RestartError extends Error {}

export const restartComputer = (): Promise<void> =>
  new Promise((resolve, reject) => {
    execFile('systemctl', ['reboot'], { timeout: 120_000 }, (error, _stdout, stderr) => {
      if (!error) return resolve();
      const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
      reject(new RestartError(missing ? 'systemctl is not installed: restart the computer from its menu.' : `The restart was refused: ${stderr.trim() || error.message}`));
    });
  });
