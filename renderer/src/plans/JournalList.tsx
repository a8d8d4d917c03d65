// The journal: every applied plan with its files, and Undo for the ones still in effect, reviewed first
// (UndoReview) with the result shown after.
import { useState } from 'react';
import { useAppStore } from '../store/context';
import { Notice } from '../ui/Notice';
import { UndoReview } from './UndoReview';
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
const incomplete = (state: JournalEntry['state']) =>
  state === 'undo-incomplete' || state === 'rollback-incomplete';

export const JournalList = () => {
  const { journal, undoing, undo, lastUndo, vms } = useAppStore((s) => ({
    journal: s.journal,
    undoing: s.undoing,
    undo: s.undo,
    lastUndo: s.lastUndo,
    vms: s.vms,
  }));
  const [reviewing, setReviewing] = useState<string | null>(null);
  const result = lastUndo && (
    <Notice
      kind={lastUndo.ok ? 'ok' : 'warn'}
      title={lastUndo.ok ? `Undone: ${lastUndo.title}` : `Undo of ${lastUndo.title} did not finish`}
    >
      <p>{lastUndo.message}</p>
    </Notice>
  );
  if (journal.length === 0)
    return (
      <EmptyState title="No changes yet">
        <p>Plans you apply appear here, with an Undo that restores every file byte for byte.</p>
      </EmptyState>
    );
  return (
    <>
      {result}
      <ul className="journal" aria-label="Journal of applied changes">
        {[...journal].reverse().map((j) => (
          <li key={j.id} className="journal-entry">
            <div>
              <strong>{j.title}</strong>
              <span
                className={`badge badge-${j.state === 'applied' ? 'pass' : incomplete(j.state) ? 'warn' : 'muted'}`}
              >
                {stateText[j.state]}
              </span>
              <div className="muted small">
                {new Date(j.createdAt).toLocaleString()} · {j.files.length}{' '}
                {j.files.length === 1 ? 'file' : 'files'}
              </div>
              {incomplete(j.state) && (
                <p className="warn-line">
                  Every file is back as it was, but a command that undoes what this plan ran failed. The
                  message shown at the time names it; run it as root to finish (see{' '}
                  <code>/var/lib/gpu-ferry/journal/{j.id}</code>).
                </p>
              )}
            </div>
            {j.state === 'applied' && reviewing !== j.id && (
              <button
                type="button"
                className="btn"
                disabled={undoing !== null}
                onClick={() => setReviewing(j.id)}
                aria-label={`Undo ${j.title}`}
              >
                Undo…
              </button>
            )}
            {j.state === 'applied' && reviewing === j.id && (
              <UndoReview
                entry={j}
                vms={vms}
                busy={undoing === j.id}
                onCancel={() => setReviewing(null)}
                onConfirm={() => void undo(j.id).then(() => setReviewing(null))}
              />
            )}
          </li>
        ))}
      </ul>
    </>
  );
};
