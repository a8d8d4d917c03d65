// A VM change before it happens: what and why in one line, the warnings, the disk command, the exact
// XML diff; one Apply; then what was done and an Undo that goes through the same review.
import { NO_DOMAIN } from '../../../shared/vm/no-domain';
import { useAppStore } from '../store/context';
import { ErrorNotice, Notice } from '../ui/Notice';
import { CommandLine } from './CommandLine';
import { Diff } from './Diff';

export const VmChangeReview = () => {
  const { review, busy, error, done, apply, discard, reviewVmChange, simulated } = useAppStore((s) => ({
    review: s.vmReview,
    busy: s.vmChangeBusy,
    error: s.vmChangeError,
    done: s.vmChangeDone,
    apply: s.applyVmChange,
    discard: s.discardVmChange,
    reviewVmChange: s.reviewVmChange,
    simulated: s.info?.simulated ?? false,
  }));
  if (busy === 'reviewing') return <p className="muted" role="status">Working out the change to the VM…</p>;
  if (!review) return <ErrorNotice error={error} />;
  const file = `${review.name}.xml`;
  return (
    <section className="plan vm-review" aria-labelledby="vm-review-title">
      <h3 id="vm-review-title">{review.title}</h3>
      {review.unchanged ? (
        <Notice kind="ok" title="Nothing to change">
          <p>The VM already is as you asked. Nothing will be changed.</p>
        </Notice>
      ) : (
        <p className="muted">
          {review.kind === 'create'
            ? 'This defines a new VM in libvirt (you will see it in virt-manager too). Nothing happens until you press Apply.'
            : "This changes the VM's definition in libvirt and nothing else on the machine. Nothing happens until you press Apply; the definition it has now is saved first, so you can undo it."}
          {simulated && ' (Demo: the VM lives in a test libvirt; nothing runs on this computer.)'}
        </p>
      )}
      {review.warnings.map((w) => (
        <Notice key={w} kind="warn" title="Before you apply">
          <p>{w}</p>
        </Notice>
      ))}
      {review.createDisk && (
        <div className="step">
          <p className="step-reason">First, a new empty disk image for Windows is created (it grows as Windows fills it):</p>
          <CommandLine argv={review.createDisk} />
        </div>
      )}
      {!review.unchanged && <Diff path={file} before={review.before ?? ''} after={review.after} />}
      <ErrorNotice error={error} />
      {done && done.review.id === review.id && (
        <Notice kind="ok" title="Applied">
          <p>
            {review.kind === 'create'
              ? `The VM "${review.name}" is defined in libvirt.`
              : review.after === NO_DOMAIN
                ? `The VM "${review.name}" is removed from libvirt; its disk image is still there.`
                : `The VM "${review.name}" is updated.`}
            {done.outcome.diskCreated && ` Its disk is ${done.outcome.diskCreated}.`}
            {done.outcome.backup && review.kind !== 'create' && ' Its previous definition is saved.'}
          </p>
        </Notice>
      )}
      <div className="actions">
        {!done && !review.unchanged && (
          <button type="button" className="btn btn-primary" disabled={busy !== null} onClick={() => void apply()}>
            {busy === 'applying' ? 'Applying…' : 'Apply'}
          </button>
        )}
        {done?.outcome.backup && (
          <button type="button" className="btn" onClick={() => void reviewVmChange({ kind: 'undo', name: review.name })}>
            Undo this change
          </button>
        )}
        <button type="button" className="btn" onClick={discard} disabled={busy === 'applying'}>
          {done ? 'Close' : 'Cancel'}
        </button>
      </div>
    </section>
  );
};
