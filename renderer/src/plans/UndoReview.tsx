// Undo, reviewed first: what goes back, what depends on it (the hook: every VM that hands its GPU over),
// and a confirmation. Nothing happens on the first click.
import type { JournalEntry, VmSummary } from '../../../shared/ipc/contract';
import { goalWords } from '../wizard/goal-words';

type Props = { entry: JournalEntry; vms: VmSummary[]; busy: boolean; onConfirm: () => void; onCancel: () => void };

export const UndoReview = ({ entry, vms, busy, onConfirm, onCancel }: Props) => {
  const dependents = entry.goal === 'hook-install' ? vms.filter((v) => v.gpu !== null).map((v) => v.name) : [];
  return (
    <div className="undo-review" role="group" aria-label={`Review undo of ${entry.title}`}>
      <h3>Undo “{goalWords(entry.goal, entry.title)}”?</h3>
      {entry.files.length > 0 && (
        <>
          <p>These files go back to how they were before this change, byte for byte:</p>
          <ul className="files">
            {entry.files.map((f) => (
              <li key={f}>
                <code>{f}</code>
              </li>
            ))}
          </ul>
        </>
      )}
      <p className="muted small">Commands this change ran are undone too (a regenerated boot menu is regenerated again).</p>
      {dependents.length > 0 && (
        <p className="warn-line" role="alert">
          {dependents.join(', ')} {dependents.length === 1 ? 'uses' : 'use'} this hook: without it, starting{' '}
          {dependents.length === 1 ? 'it' : 'them'} no longer hands the GPU over, and Launch refuses until the hook is
          installed again.
        </p>
      )}
      {/^(iommu|vfio-early)$/.test(entry.goal) && <p className="muted small">Boot changes take effect at the next restart.</p>}
      <div className="actions">
        <button type="button" className="btn" onClick={onCancel} disabled={busy}>
          Keep it
        </button>
        <button type="button" className="btn btn-danger" onClick={onConfirm} disabled={busy}>
          {busy ? 'Undoing…' : 'Undo this change'}
        </button>
      </div>
    </div>
  );
};
