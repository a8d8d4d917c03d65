// The privileged program's events (electron/privileged/: a result "ok write-file /etc/x",
// a progress line of a command's output) as sentences a person reads while a plan applies. Null: nothing to tell.
import type { HelperLine } from './helper-output';

const SIMULATED = '(not run on a simulated machine)';

const resultText = (status: 'ok' | 'not-executed', kind: string, detail: string, step: number): string => {
  const done = status === 'ok';
  switch (kind) {
    // Undo and rollback: a step's inverse command, and regenerators run again on the restored files.
    case 'inverse':
      return done ? `Undid step ${step + 1} with ${detail}` : `Would undo step ${step + 1} with ${detail} ${SIMULATED}`;
    case 'rerun':
      return done ? `Ran ${detail} again now that the files are back` : `Would run ${detail} again now that the files are back ${SIMULATED}`;
    case 'write-file':
      return `Wrote ${detail}`;
    case 'edit-file':
      return `Edited ${detail}`;
    case 'remove-file':
      return `Removed ${detail}`;
    case 'restore':
      return detail.startsWith('removed ') ? `Removed ${detail.slice(8)} (it did not exist before)` : `Restored ${detail}`;
    case 'module-load':
    case 'module-unload': {
      const module = detail.replace(/^modprobe (-r )?(-- )?/, '');
      const verb = kind === 'module-load' ? 'load' : 'unload';
      return done ? `${verb === 'load' ? 'Loaded' : 'Unloaded'} kernel module ${module}` : `Would ${verb} kernel module ${module} ${SIMULATED}`;
    }
    case 'sriov-numvfs':
      return done ? `Set ${detail}` : `Would set ${detail} ${SIMULATED}`;
    case 'vfio-bind-vf':
      return done ? `Bound ${detail}` : `Would bind ${detail} ${SIMULATED}`;
    case 'run':
    case 'unit':
      return done ? `Ran ${detail}` : `Would run ${detail} ${SIMULATED}`;
    default:
      return done ? `Done: ${kind} ${detail}`.trim() : `Not run: ${kind} ${detail}`.trim();
  }
};

export const progressText = (line: HelperLine): string | null => {
  if (line.type === 'progress') return line.text.trim() === '' ? null : line.text;
  if (line.type === 'result') return resultText(line.status, line.kind, line.detail, line.step);
  if (line.type === 'pending') return `Undoing step ${line.step + 1} failed: run \`${line.command}\` as root to finish`;
  return null;
};
