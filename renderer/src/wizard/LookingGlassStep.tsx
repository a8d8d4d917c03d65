// Step 5 (two GPUs only): Looking Glass shows the VM's screen in a window on the host. Two halves: the
// host's shared memory (a helper plan) and the device in the VM's definition (a reviewed VM change).
import { useEffect, useState } from 'react';
import { parseLgVersion } from '../../../shared/lg/client-version';
import { windowsChecklist } from '../../../shared/lg/windows-checklist';
import { LinkedText } from '../ui/LinkedText';
import { VmChangeReview } from '../plans/VmChangeReview';
import { useAppStore } from '../store/context';
import { goalOptions } from './goal-options';
import { GoalPicker } from './GoalPicker';
import { effectiveGpu, goalsForStep } from './steps';

const RESOLUTIONS = ['1920x1080', '2560x1440', '3440x1440', '3840x2160'];

export const LookingGlassStep = () => {
  const { goals, gpu, hasOutputs, lgStatus, loadLgStatus, vms, busy, reviewVmChange, discardVmChange } = useAppStore((s) => ({
    goals: s.goals,
    gpu: effectiveGpu(s.report, s.selectedGpu)?.address ?? null,
    hasOutputs: effectiveGpu(s.report, s.selectedGpu)?.displayOutputs !== false,
    lgStatus: s.lgStatus,
    loadLgStatus: s.loadLgStatus,
    vms: s.vms,
    busy: s.vmChangeBusy,
    reviewVmChange: s.reviewVmChange,
    discardVmChange: s.discardVmChange,
  }));
  const [resolution, setResolution] = useState('2560x1440');
  const [hdr, setHdr] = useState(false);
  const [vmName, setVmName] = useState(vms[0]?.name ?? '');
  useEffect(() => {
    if (vmName) void loadLgStatus(vmName);
  }, [vmName, loadLgStatus]);
  const client = vmName ? lgStatus[vmName] : undefined;
  const checklist = windowsChecklist(client?.version ? parseLgVersion(client.version) : null, 'kvmfr', client?.client ?? false, hasOutputs);
  const changed = <T,>(set: (v: T) => void) => (v: T) => {
    discardVmChange();
    set(v);
  };
  return (
    <div>
      <p className="lead">
        With two GPUs your desktop stays on. Looking Glass shows the VM's picture in a window here, with no second
        monitor or cable switching.
      </p>
      <div className="form">
        <label>
          VM screen resolution
          <select value={resolution} onChange={(e) => changed(setResolution)(e.target.value)}>
            {RESOLUTIONS.map((r) => (
              <option key={r}>{r}</option>
            ))}
          </select>
        </label>
        {vms.length > 0 && (
          <label>
            VM
            <select value={vmName} onChange={(e) => changed(setVmName)(e.target.value)}>
              {vms.map((v) => (
                <option key={v.name}>{v.name}</option>
              ))}
            </select>
          </label>
        )}
        <label className="check-label">
          <input type="checkbox" checked={hdr} onChange={(e) => changed(setHdr)(e.target.checked)} />
          <span>
            HDR <span className="muted small">— only if Windows runs in HDR; it doubles the shared memory.</span>
          </span>
        </label>
      </div>
      <p className="muted small">The shared memory Looking Glass needs grows with the resolution; GPU Ferry sizes it for you.</p>
      <h3>1. This computer</h3>
      <GoalPicker goals={goalsForStep('looking-glass', goals)} options={(g) => ({ ...goalOptions(g, { gpu, vmName, resolution }), hdr })} />
      <h3>2. The VM</h3>
      {vms.length === 0 ? (
        <p className="muted">Create the VM in the previous step first; then its Looking Glass device is added here.</p>
      ) : (
        <>
          <p className="muted">The VM gets a shared-memory device of the same size, which the Looking Glass host program in Windows writes the picture to.</p>
          <div className="actions">
            <button
              type="button"
              className="btn"
              disabled={busy !== null || !vmName}
              onClick={() => void reviewVmChange({ kind: 'looking-glass', name: vmName, resolution, hdr, shm: false, remove: false })}
            >
              Review the VM change
            </button>
          </div>
          <VmChangeReview />
        </>
      )}
      <h3>3. Inside Windows</h3>
      <ol className="windows-checklist" aria-label="Inside Windows">
        {checklist.map((item) => (
          <li key={item.id}>
            <strong>{item.title}</strong>
            <p className="muted small">
              <LinkedText text={item.detail} />
            </p>
            {item.link && (
              <a href={item.link} target="_blank" rel="noreferrer noopener">
                {item.link}
              </a>
            )}
          </li>
        ))}
      </ol>
    </div>
  );
};
