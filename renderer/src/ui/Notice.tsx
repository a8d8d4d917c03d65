// Small shared pieces: an error that says what to do, an empty state, a status badge.
import type { ReactNode } from 'react';
import type { IpcError } from '../../../shared/ipc/result';
import { LinkedText } from './LinkedText';

export const ErrorNotice = ({ error, onRetry }: { error: IpcError | null; onRetry?: () => void }) =>
  error ? (
    <div className="notice notice-error" role="alert">
      <strong>Something went wrong</strong>
      <p>
        <LinkedText text={error.message} />
      </p>
      {onRetry && (
        <button type="button" className="btn" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  ) : null;

export const Notice = ({ kind, title, children }: { kind: 'info' | 'warn' | 'ok'; title: string; children?: ReactNode }) => (
  <div className={`notice notice-${kind}`} role={kind === 'warn' ? 'status' : undefined}>
    <strong>{title}</strong>
    {children}
  </div>
);

export const EmptyState = ({ title, children }: { title: string; children?: ReactNode }) => (
  <div className="empty">
    <p className="empty-title">{title}</p>
    {children}
  </div>
);

const statusLabel: Record<string, string> = { pass: 'OK', warn: 'Warning', fail: 'Problem' };

export const StatusBadge = ({ status }: { status: 'pass' | 'warn' | 'fail' }) => (
  <span className={`badge badge-${status}`}>{statusLabel[status]}</span>
);
