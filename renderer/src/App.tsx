// The app frame: header with views and theme, then the wizard, the dashboard or the journal. On start it
// re-reads the machine and resumes the wizard where the machine really is.
import { useEffect, useState } from 'react';
import { Dashboard } from './dashboard/Dashboard';
import { JournalList } from './plans/JournalList';
import { VmHistoryList } from './plans/VmHistoryList';
import { useAppStore } from './store/context';
import type { AppStore } from './store/store';
import { ErrorNotice } from './ui/Notice';
import { SettingsView } from './settings/SettingsView';
import { resumeStep } from './wizard/steps';
import { Wizard } from './wizard/Wizard';

type View = 'setup' | 'dashboard' | 'journal' | 'settings';

/** Loads everything the first screen needs, then picks the wizard step from the fresh scan. */
export const startApp = async (store: AppStore): Promise<View> => {
  const s = store.getState();
  await Promise.all([s.loadSettings(), s.rescan(), s.loadGoals(), s.loadJournal(), s.loadVms(), s.loadVmHistory()]);
  const { report, vms, journal, wizardStep } = store.getState();
  if (!report) return 'setup';
  const step = resumeStep(report, vms, journal);
  if (wizardStep === null) store.getState().goToStep(step);
  return step === 'done' ? 'dashboard' : 'setup';
};

export const App = ({ store }: { store: AppStore }) => {
  const [view, setView] = useState<View | null>(null);
  const { info, settings, settingsError, updateSettings, report, hostError, rescan } = useAppStore((s) => ({
    info: s.info,
    settings: s.settings,
    settingsError: s.settingsError,
    updateSettings: s.updateSettings,
    report: s.report,
    hostError: s.hostError,
    rescan: s.rescan,
  }));
  useEffect(() => {
    // The resume point only decides the first view: it never overrides a view the person already picked.
    void startApp(store).then((resume) => setView((current) => current ?? resume));
  }, [store]);
  const theme = settings?.theme ?? 'system';
  useEffect(() => {
    if (theme === 'system') delete document.documentElement.dataset.theme;
    else document.documentElement.dataset.theme = theme;
  }, [theme]);
  const tabs: { id: View; label: string }[] = [
    { id: 'dashboard', label: 'Dashboard' },
    { id: 'setup', label: 'Setup' },
    { id: 'journal', label: 'Journal' },
    { id: 'settings', label: 'Settings' },
  ];
  return (
    <>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <div className="brand">
          <span className="logo" aria-hidden="true" />
          GPU Ferry
        </div>
        <nav aria-label="Views" className="tabs">
          {tabs.map((t) => (
            <button
              key={t.id}
              type="button"
              className={view === t.id ? 'tab active' : 'tab'}
              aria-current={view === t.id ? 'page' : undefined}
              onClick={() => setView(t.id)}
            >
              {t.label}
            </button>
          ))}
        </nav>
        <div className="topbar-end">
          {info?.simulated && (
            <span className="badge badge-demo" title="Plans apply to a temporary copy of a fixture machine">
              Demo machine{info.hostName ? `: ${info.hostName}` : ''}
            </span>
          )}
          <label className="theme-pick">
            <span className="sr-only">Theme</span>
            <select
              value={theme}
              onChange={(e) => void updateSettings({ theme: e.target.value as 'system' | 'dark' | 'light' })}
              disabled={!settings}
            >
              <option value="system">System theme</option>
              <option value="dark">Dark</option>
              <option value="light">Light</option>
            </select>
          </label>
        </div>
      </header>
      <main id="main">
        {info?.readOnly && (
          <p className="read-only" role="note">
            <strong>Read-only:</strong> this browser session shows {info.hostName} but cannot change it. To set it up, use the
            desktop app, or stop this server and start it again allowing changes.
          </p>
        )}
        <ErrorNotice error={settingsError} />
        {!report && hostError ? (
          <ErrorNotice error={hostError} onRetry={() => void rescan()} />
        ) : view === null ? (
          <p className="muted loading" role="status">
            Checking this machine…
          </p>
        ) : view === 'dashboard' ? (
          <Dashboard onOpenSetup={() => setView('setup')} />
        ) : view === 'settings' ? (
          <SettingsView />
        ) : view === 'journal' ? (
          <section aria-labelledby="journal-title">
            <h2 id="journal-title">Journal</h2>
            <JournalList />
            <VmHistoryList />
          </section>
        ) : (
          <Wizard onOpenDashboard={() => setView('dashboard')} />
        )}
      </main>
    </>
  );
};
