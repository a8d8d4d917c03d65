// Last step: what is ready, what is still missing (from the fresh scan and the same VM checks Launch
// and `gpu-ferry vm check` run), and the way to the dashboard.
import { useEffect } from 'react';
import { useAppStore } from '../store/context';

export const DoneStep = ({ onOpenDashboard }: { onOpenDashboard: () => void }) => {
  const { mode, vms, withGpu, iommuOn, waitingForReboot, gpuVms, preflight, checkVm } = useAppStore((s) => ({
    mode: s.report?.recommendation.mode,
    withGpu: s.vms.filter((v) => v.gpu !== null).length,
    vms: s.vms.length,
    iommuOn: s.report?.iommu.state === 'on',
    waitingForReboot: s.journal.some((j) => j.state === 'applied'),
    gpuVms: s.vms
      .filter((v) => v.gpu !== null)
      .map((v) => v.name)
      .join('\n'),
    preflight: s.preflight,
    checkVm: s.checkVm,
  }));
  const names = gpuVms.split('\n').filter(Boolean);
  useEffect(() => {
    for (const name of gpuVms.split('\n').filter(Boolean)) void checkVm(name);
  }, [gpuVms, checkVm]);
  const checking = names.some((n) => preflight[n] === undefined);
  const failing = names.flatMap((n) =>
    (preflight[n] ?? []).filter((i) => i.status === 'fail').map((i) => `${n}: ${i.message}${i.fix ? ` ${i.fix}` : ''}`),
  );
  const missing = [
    !iommuOn &&
      (waitingForReboot
        ? 'Reboot: the boot changes take effect when the machine starts again.'
        : 'The IOMMU is not on yet: go back to "Check this machine" and "Boot setup".'),
    vms === 0 && 'No VM yet: go back to "The VM" to create one or use one you made in virt-manager.',
    vms > 0 && withGpu === 0 && 'No VM has the GPU yet: go back to "The VM" and give it to one.',
    ...failing,
  ].filter((m): m is string => typeof m === 'string');
  return (
    <div className="done">
      <p className="lead">{checking ? 'Checking your VMs…' : missing.length === 0 ? 'You are set up.' : 'Almost there.'}</p>
      {missing.length > 0 ? (
        <ul className="todo" aria-label="Still to do">
          {missing.map((m) => (
            <li key={m}>{m}</li>
          ))}
        </ul>
      ) : checking ? null : (
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
