// Step 5 (two GPUs only): Looking Glass shows the VM's screen in a window on the host.
import { useState } from 'react';
import { useAppStore } from '../store/context';
import { goalOptions } from './goal-options';
import { GoalPicker } from './GoalPicker';
import { goalsForStep } from './steps';

export const LookingGlassStep = () => {
  const { goals, gpu, vmName } = useAppStore((s) => ({
    goals: s.goals,
    gpu: s.selectedGpu ?? s.report?.recommendation.gpu ?? null,
    vmName: s.vms[0]?.name,
  }));
  const [resolution, setResolution] = useState('2560x1440');
  return (
    <div>
      <p className="lead">
        With two GPUs your desktop stays on. Looking Glass shows the VM's picture in a window here, with no second
        monitor or cable switching.
      </p>
      <div className="form">
        <label>
          VM screen resolution
          <select value={resolution} onChange={(e) => setResolution(e.target.value)}>
            {['1920x1080', '2560x1440', '3440x1440', '3840x2160'].map((r) => (
              <option key={r}>{r}</option>
            ))}
          </select>
        </label>
      </div>
      <p className="muted small">The shared memory Looking Glass needs grows with the resolution; GPU Ferry sizes it for you.</p>
      <GoalPicker goals={goalsForStep('looking-glass', goals)} options={(g) => goalOptions(g, { gpu, vmName, resolution })} />
    </div>
  );
};
