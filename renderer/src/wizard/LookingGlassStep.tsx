// Step 5 (two GPUs only): Looking Glass shows the VM's screen in a window on the host.
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
  return (
    <div>
      <p className="lead">
        With two GPUs your desktop stays on. Looking Glass shows the VM's picture in a window here, with no second
        monitor or cable switching.
      </p>
      <GoalPicker goals={goalsForStep('looking-glass', goals)} options={(g) => goalOptions(g, { gpu, vmName })} />
    </div>
  );
};
