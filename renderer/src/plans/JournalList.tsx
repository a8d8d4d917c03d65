// The journal: every applied plan with its files, and Undo for the ones still in effect.
import { useAppStore } from '../store/context';
import type { JournalEntry } from '../../../shared/ipc/contract';
import { EmptyState } from '../ui/Notice';

const stateText: Record<JournalEntry['state'], string> = {
  applied: 'applied',
  undone: 'undone',
  'rolled-back': 'rolled back',
  interrupted: 'interrupted',
  'undo-incomplete': 'undo incomplete',
  'rollback-incomplete': 'rollback incomplete',
};
const incomplete = (state: JournalEntry['state']) => state === 'undo-incomplete' || state === 'rollback-incomplete';

export const JournalList = () => {
  const { journal, undoing, undo } = useAppStore((s) => ({ journal: s.journal, undoing: s.undoing, undo: s.undo }));
  if (journal.length === 0)
    return (
      <EmptyState title="No changes yet">
        <p>Plans you apply appear here, with an Undo that restores every file byte for byte.</p>
      </EmptyState>
    );
  return (
    <ul className="journal" aria-label="Journal of applied changes">
      {[...journal].reverse().map((j) => (
        <li key={j.id} className="journal-entry">
          <div>
            <strong>{j.title}</strong>
            <span className={`badge badge-${j.state === 'applied' ? 'pass' : incomplete(j.state) ? 'warn' : 'muted'}`}>{stateText[j.state]}</span>
            <div className="muted small">
              {new Date(j.createdAt).toLocaleString()} · {j.files.length} {j.files.length === 1 ? 'file' : 'files'}
            </div>
            {incomplete(j.state) && (
              <p className="warn-line">
                Every file is back as it was, but a command that undoes what this plan ran failed. The message shown at
                the time names it; run it as root to finish (see <code>/var/lib/gpu-ferry/journal/{j.id}</code>).
              </p>
            )}
          </div>
          {j.state === 'applied' && (
            <button
              type="button"
              className="btn"
              disabled={undoing !== null}
              onClick={() => void undo(j.id)}
              aria-label={`Undo ${j.title}`}
            >
              {undoing === j.id ? 'Undoing…' : 'Undo'}
            </button>
          )}
        </li>
      ))}
    </ul>
  );
};
