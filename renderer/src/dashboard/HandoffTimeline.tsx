// The last handoff as a timeline: every step with its duration; failures and rollbacks stand out.
import type { HandoffEvent } from '../../../shared/ipc/contract';
import { formatMs, lastHandoff } from './last-handoff';

export const HandoffTimeline = ({ events }: { events: HandoffEvent[] }) => {
  if (events.length === 0) return <p className="muted small">No handoff yet. The first Launch will be logged here.</p>;
  const { rows, totalMs, failed } = lastHandoff(events);
  return (
    <figure className="timeline">
      <figcaption>
        Last handoff · {formatMs(totalMs)} {failed ? '· had a failure' : ''}
      </figcaption>
      <ol>
        {rows.map((r, i) => (
          <li key={i} className={`tl-row${r.failed ? ' tl-failed' : ''}${r.rollback ? ' tl-rollback' : ''}`}>
            <span className="tl-phase">{r.phase}</span>
            <span className="tl-step">
              {r.step}
              {r.message && <span className="muted small"> — {r.message}</span>}
            </span>
            <span className="tl-bar" aria-hidden="true">
              <span style={{ width: `${Math.max(2, r.share * 100)}%` }} />
            </span>
            <span className="tl-dur">{formatMs(r.durationMs)}</span>
            <span className="tl-status">{r.rollback ? `rollback: ${r.status}` : r.status}</span>
          </li>
        ))}
      </ol>
    </figure>
  );
};
