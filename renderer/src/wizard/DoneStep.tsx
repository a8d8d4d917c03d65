// Last step: what is ready, what is still missing (from the fresh scan), and the way to the dashboard.
import { useAppStore } from '../store/context';

export const DoneStep = ({ onOpenDashboard }: { onOpenDashboard: () => void }) => {
  const { mode, vms, withGpu, iommuOn, waitingForReboot } = useAppStore((s) => ({
    mode: s.report?.recommendation.mode,
    withGpu: s.vms.filter((v) => v.gpu !== null).length,
    vms: s.vms.length,
    iommuOn: s.report?.iommu.state === 'on',
    waitingForReboot: s.journal.some((j) => j.state === 'applied'),
  }));
  const missing = [
    !iommuOn &&
      (waitingForReboot
        ? 'Reboot: the boot changes take effect when the machine starts again.'
        : 'The IOMMU is not on yet: go back to "Check this machine" and "Boot setup".'),
    vms === 0 && 'No VM yet: go back to "The VM" to create one or use one you made in virt-manager.',
    vms > 0 && withGpu === 0 && 'No VM has the GPU yet: go back to "The VM" and give it to one.',
  ].filter((m): m is string => typeof m === 'string');
  return (
    <div className="done">
      <p className="lead">{missing.length === 0 ? 'You are set up.' : 'Almost there.'}</p>
      {missing.length > 0 ? (
        <ul className="todo" aria-label="Still to do">
          {missing.map((m) => (
            <li key={m}>{m}</li>
          ))}
        </ul>
      ) : (
        <p>
          {mode === 'single-gpu'
            ? 'Press Launch on the dashboard: your desktop closes, Windows gets the GPU, and the desktop comes back when Windows shuts down.'
            : 'Press Launch on the dashboard; the VM gets the second GPU while your desktop keeps running.'}
        </p>
      )}
      <button type="button" className="btn btn-primary btn-big" onClick={onOpenDashboard}>
        Open the dashboard
      </button>
    </div>
  );
};
