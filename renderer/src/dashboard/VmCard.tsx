// One VM: mode, state, the big Launch / Shut down, preflight checks, Looking Glass and the last handoff.
import { useEffect, useState } from 'react';
import type { HandoffEvent, PreflightItem, VmSummary } from '../../../shared/ipc/contract';
import { useAppStore } from '../store/context';
import { StatusBadge } from '../ui/Notice';
import { DarkScreenAdvice } from '../ui/RecoveryAdvice';
import { LinkedText } from '../ui/LinkedText';
import { ConfirmDialog } from './ConfirmDialog';
import { HandoffTimeline } from './HandoffTimeline';

// One shared empty list: a fresh [] per render would look like a change to the selector and loop.
const noEvents: HandoffEvent[] = [];
/** Preflight results as on `gpu-ferry vm check`: each with its fix, links clickable. */
const CheckList = ({ items, label }: { items: PreflightItem[]; label: string }) => (
  <ul className="checklist compact" aria-label={label}>
    {items.map((p) => (
      <li key={p.id} className={`check check-${p.status}`}>
        <StatusBadge status={p.status} />
        <div>
          <p>
            <LinkedText text={p.message} />
          </p>
          {p.fix && (
            <p className="fix">
              <LinkedText text={p.fix} />
            </p>
          )}
        </div>
      </li>
    ))}
  </ul>
);

const modeLabel = { 'single-gpu': 'Single GPU', 'dual-gpu': 'Two GPUs' } as const;

export const VmCard = ({ vm, onOpenSetup }: { vm: VmSummary; onOpenSetup?: () => void }) => {
  const { gpuName, busy, preflight, events, startVm, stopVm, checkVm, launchVm, lg, loadLgStatus, launchLookingGlass } = useAppStore((s) => ({
    gpuName: s.report?.gpus.find((g) => g.address === vm.gpu)?.name ?? null,
    busy: s.vmBusy[vm.name],
    preflight: s.preflight[vm.name],
    events: s.handoffLogs[vm.name] ?? noEvents,
    startVm: s.startVm,
    stopVm: s.stopVm,
    checkVm: s.checkVm,
    launchVm: s.launchVm,
    lg: s.lgStatus[vm.name],
    loadLgStatus: s.loadLgStatus,
    launchLookingGlass: s.launchLookingGlass,
  }));
  const [confirming, setConfirming] = useState(false);
  const running = vm.state === 'running' || vm.state === 'paused';
  const blocked = preflight?.some((p) => p.status === 'fail') ?? false;
  const warnings = preflight?.filter((p) => p.status === 'warn') ?? [];
  const launch = async () => {
    if ((await launchVm(vm.name)) === 'ask') setConfirming(true);
  };
  const confirmed = () => {
    setConfirming(false);
    void startVm(vm.name);
  };
  const single = vm.mode === 'single-gpu';
  const lookingGlass = running && vm.mode === 'dual-gpu';
  useEffect(() => {
    if (lookingGlass) void loadLgStatus(vm.name);
  }, [lookingGlass, vm.name, loadLgStatus]);
  return (
    <article className={`vm-card state-${running ? 'running' : 'off'}`} aria-labelledby={`vm-${vm.name}`}>
      <header>
        <h3 id={`vm-${vm.name}`}>{vm.name}</h3>
        <span className="badge badge-muted">{vm.mode ? modeLabel[vm.mode] : 'No GPU assigned'}</span>
        <span className={`state-pill ${running ? 'on' : 'off'}`} role="status">
          {busy === 'starting' ? 'Starting…' : busy === 'stopping' ? 'Shutting down…' : vm.state}
        </span>
      </header>
      {vm.gpu ? (
        <p className="muted small">
          {gpuName ?? 'GPU'} <code>{vm.gpu}</code>
        </p>
      ) : (
        <p className="muted small">
          This VM has no GPU of this machine yet, so it runs like any VM.{' '}
          {onOpenSetup && (
            <button type="button" className="link" onClick={onOpenSetup}>
              Give it the GPU in Setup
            </button>
          )}
        </p>
      )}
      <div className="vm-actions">
        {running ? (
          <button
            type="button"
            className="btn btn-big"
            disabled={busy !== undefined}
            onClick={() => void stopVm(vm.name, false)}
            aria-label={`Shut down ${vm.name}`}
          >
            Shut down
          </button>
        ) : (
          <button
            type="button"
            className="btn btn-primary btn-big"
            disabled={busy !== undefined}
            onClick={() => void launch()}
            aria-label={`Launch ${vm.name}`}
          >
            Launch
          </button>
        )}
        <button type="button" className="btn" onClick={() => void checkVm(vm.name)} disabled={busy !== undefined}>
          {busy === 'checking' ? 'Checking…' : 'Run checks'}
        </button>
        {lookingGlass && lg?.client && (
          <button type="button" className="btn" onClick={() => void launchLookingGlass(vm.name)}>
            Open Looking Glass
          </button>
        )}
        {running && (
          <button type="button" className="btn btn-quiet" onClick={() => void stopVm(vm.name, true)} disabled={busy !== undefined}>
            Force off
          </button>
        )}
      </div>
      {lookingGlass && lg && !lg.client && (
        <p className="muted small">
          <LinkedText text="The Looking Glass client is not installed on this computer, so it cannot open here: get it from https://looking-glass.io/downloads (the same release as the host program in Windows)." />
        </p>
      )}
      {blocked && !running && (
        <p className="warn-line" role="alert">
          Not launched: a check below failed. Do what it says, then press Launch again (it checks again).
        </p>
      )}
      {preflight && (
        <CheckList items={preflight} label={`Checks for ${vm.name}`} />
      )}
      <HandoffTimeline events={events} />
      <ConfirmDialog
        open={confirming}
        title={single ? 'Your desktop will close' : `Launch ${vm.name} with warnings?`}
        confirmLabel={single ? `Close desktop and launch ${vm.name}` : `Launch ${vm.name} anyway`}
        onConfirm={confirmed}
        onCancel={() => setConfirming(false)}
      >
        {warnings.length > 0 && (
          <CheckList items={warnings} label="Warnings" />
        )}
        {single && (
          <>
            <p>
              This machine has one GPU. While <strong>{vm.name}</strong> runs, your Linux desktop closes and the screen
              shows Windows. Save your work first. When Windows shuts down, the login screen comes back by itself.
            </p>
            <DarkScreenAdvice />
          </>
        )}
      </ConfirmDialog>
    </article>
  );
};
