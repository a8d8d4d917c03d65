// Last step: what is ready, and the way to the dashboard.
import { useAppStore } from '../store/context';

export const DoneStep = ({ onOpenDashboard }: { onOpenDashboard: () => void }) => {
  const { mode, vms } = useAppStore((s) => ({ mode: s.report?.recommendation.mode, vms: s.vms.length }));
  return (
    <div className="done">
      <p className="lead">You are set up.</p>
      <p>
        {vms === 0
          ? 'No VM yet: go back to "The VM" when you want one.'
          : mode === 'single-gpu'
            ? 'Press Launch on the dashboard: your desktop closes, Windows gets the GPU, and the desktop comes back when Windows shuts down.'
            : 'Press Launch on the dashboard; the VM gets the second GPU while your desktop keeps running.'}
      </p>
      <button type="button" className="btn btn-primary btn-big" onClick={onOpenDashboard}>
        Open the dashboard
      </button>
    </div>
  );
};
