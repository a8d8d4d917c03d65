// The last handoff as a timeline: each run (hand over, give back) with how it ended, then every step in
// words with its duration; failures and rollbacks stand out in text, not only in colour.
import type { HandoffEvent } from '../../../shared/ipc/contract';
import { formatMs, lastHandoff } from './last-handoff';

export const HandoffTimeline = ({ events }: { events: HandoffEvent[] }) => {
  if (events.length === 0) return <p className="muted small">No handoff yet. The first Launch will be logged here.</p>;
  const { runs, failed } = lastHandoff(events);
  return (
    <figure className="timeline">
      <figcaption>Last handoff{failed ? ' · had a failure' : ''}</figcaption>
      {runs.map((run, i) => (
        <section key={i} className="tl-run" aria-label={run.title}>
          <p className={run.failed ? 'tl-summary tl-failed' : 'tl-summary'}>
            <strong>{run.title}</strong> {run.totalMs !== null && <span className="muted small">· {formatMs(run.totalMs)}</span>}
            <br />
            {run.summary}
          </p>
          <ol aria-label={`Steps: ${run.title}`}>
            {run.rows.map((r, j) => (
              <li key={j} className={`tl-row${r.failed ? ' tl-failed' : ''}${r.rollback ? ' tl-rollback' : ''}`}>
                <span className="tl-phase">{r.phase}</span>
                <span className="tl-step">
                  {r.label}
                  {r.message && <span className="muted small"> — {r.message}</span>}
                </span>
                <span className="tl-bar" aria-hidden="true">
                  <span style={{ width: `${Math.max(2, r.share * 100)}%` }} />
                </span>
                <span className="tl-dur">{formatMs(r.durationMs)}</span>
                <span className="tl-status">{r.status}</span>
              </li>
            ))}
          </ol>
        </section>
      ))}
    </figure>
  );
};
