// The Journal's VM half: VMs whose definitions GPU Ferry changed, with the saved earlier definitions and
// an Undo that shows the exact change back (the same review as any VM change) before applying it.
import { useAppStore } from '../store/context';
import { VmChangeReview } from './VmChangeReview';

export const VmHistoryList = () => {
  const { history, busy, reviewVmChange } = useAppStore((s) => ({
    history: s.vmHistory,
    busy: s.vmChangeBusy,
    reviewVmChange: s.reviewVmChange,
  }));
  if (history.length === 0) return null;
  return (
    <section aria-labelledby="vm-history-title">
      <h3 id="vm-history-title">VM definitions</h3>
      <p className="muted">Before each change to a VM, GPU Ferry saves its definition. Undo puts the last one back.</p>
      <ul className="journal" aria-label="VMs with saved definitions">
        {history.map((h) => (
          <li key={h.vm} className="journal-entry">
            <div>
              <strong>{h.vm}</strong>
              <div className="muted small">
                Last change {new Date(h.newestAt).toLocaleString()} · {h.count} saved {h.count === 1 ? 'definition' : 'definitions'}
              </div>
            </div>
            <button
              type="button"
              className="btn"
              disabled={busy !== null}
              onClick={() => void reviewVmChange({ kind: 'undo', name: h.vm })}
              aria-label={`Undo the last change to ${h.vm}`}
            >
              Undo…
            </button>
          </li>
        ))}
      </ul>
      <VmChangeReview />
    </section>
  );
};
