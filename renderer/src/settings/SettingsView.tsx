// Settings: the system integration GPU Ferry needs to change this machine (the privileged program, its
// polkit policy, the handoff runtime: the same files the packages install), checked, reviewed file by
// file before install or removal, then applied with one password prompt; and the app's own choices.
import { useEffect } from 'react';
import { useAppStore } from '../store/context';
import { ErrorNotice, Notice } from '../ui/Notice';

const stateWords = { installed: 'installed', missing: 'missing', different: 'differs from this version' } as const;

export const SettingsView = () => {
  const s = useAppStore((st) => ({
    status: st.integration,
    review: st.integrationReview,
    busy: st.integrationBusy,
    error: st.integrationError,
    load: st.loadIntegration,
    reviewIt: st.reviewIntegration,
    apply: st.applyIntegration,
    discard: st.discardIntegrationReview,
    settings: st.settings,
    update: st.updateSettings,
  }));
  const { load } = s;
  useEffect(() => {
    void load();
  }, [load]);
  return (
    <section aria-labelledby="settings-title">
      <h2 id="settings-title">Settings</h2>
      <h3>System integration</h3>
      <p className="muted">
        To change this machine GPU Ferry needs a few system files: the program that applies reviewed plans as root, its
        polkit policy (the password prompt) and the handoff runtime. Packages install them; a copy run from its folder
        installs them here.
      </p>
      {s.status === null && !s.error && <p className="muted" role="status">Checking…</p>}
      {s.status && (
        <Notice kind={s.status.installed ? 'ok' : 'warn'} title={s.status.installed ? 'Installed and current' : 'Not installed (or not current)'}>
          <p>{s.status.node.message}</p>
          <ul className="files" aria-label="System files">
            {s.status.files.map((f) => (
              <li key={f.target}>
                <code>{f.target}</code> <span className="muted small">({f.mode}) — {stateWords[f.state]}</span>
              </li>
            ))}
          </ul>
        </Notice>
      )}
      <ErrorNotice error={s.error} />
      {!s.review && s.status && (
        <div className="actions">
          <button type="button" className="btn btn-primary" disabled={s.busy !== null} onClick={() => void s.reviewIt('install')}>
            {s.status.installed ? 'Review reinstall' : 'Review install'}
          </button>
          <button type="button" className="btn" disabled={s.busy !== null} onClick={() => void s.reviewIt('remove')}>
            Review removal
          </button>
          <button type="button" className="btn btn-quiet" disabled={s.busy !== null} onClick={() => void load()}>
            Check again
          </button>
        </div>
      )}
      {s.review && (
        <div className="undo-review" role="group" aria-label={s.review.action === 'install' ? 'Review install' : 'Review removal'}>
          <h3>{s.review.action === 'install' ? 'These files will be installed' : 'These files will be removed'}</h3>
          <ul className="files">
            {s.review.files.map((f) => (
              <li key={f.target}>
                <code>{f.target}</code> <span className="muted small">mode {f.mode}</span>
              </li>
            ))}
          </ul>
          {s.review.blocked && (
            <p className="warn-line" role="alert">
              {s.review.blocked}
            </p>
          )}
          <p className="muted small">Your password is asked once. Nothing else on the machine changes.</p>
          <div className="actions">
            <button type="button" className="btn" onClick={s.discard} disabled={s.busy === 'applying'}>
              Cancel
            </button>
            <button type="button" className="btn btn-primary" onClick={() => void s.apply()} disabled={s.busy !== null || s.review.blocked !== null}>
              {s.busy === 'applying' ? 'Working…' : s.review.action === 'install' ? 'Install' : 'Remove'}
            </button>
          </div>
        </div>
      )}
      {s.settings && (
        <>
          <h3>The app</h3>
          <label className="check-label">
            <input type="checkbox" checked={s.settings.autostart} onChange={(e) => void s.update({ autostart: e.target.checked })} />
            <span>Open GPU Ferry after logging in (it tells you how the last handoff ended)</span>
          </label>
          <label className="check-label">
            <input
              type="checkbox"
              checked={s.settings.launchLookingGlassAutomatically}
              onChange={(e) => void s.update({ launchLookingGlassAutomatically: e.target.checked })}
            />
            <span>Open Looking Glass when a VM with two GPUs starts</span>
          </label>
        </>
      )}
    </section>
  );
};
