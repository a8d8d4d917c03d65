// Step 4: create a Windows VM for the GPU, or attach the GPU to an existing VM; tuning explained.
import { useState } from 'react';
import { useAppStore } from '../store/context';
import { goalOptions } from './goal-options';
import { GoalPicker } from './GoalPicker';
import { goalsForStep } from './steps';

export const VmStep = () => {
  const { goals, gpu, vms } = useAppStore((s) => ({
    goals: s.goals,
    gpu: s.selectedGpu ?? s.report?.recommendation.gpu ?? null,
    vms: s.vms,
  }));
  const [mode, setMode] = useState<'create' | 'attach'>(vms.length > 0 ? 'attach' : 'create');
  const [vmName, setVmName] = useState(vms[0]?.name ?? 'windows');
  const [memoryGiB, setMemoryGiB] = useState(16);
  const [cpus, setCpus] = useState(8);
  const [hugepages, setHugepages] = useState(false);
  const [pinCpus, setPinCpus] = useState(true);
  const vmGoals = goalsForStep('vm', goals).filter((g) => (mode === 'create' ? !/attach/.test(g.name) : !/create/.test(g.name)));
  const choices = { gpu, vmName, memoryMiB: memoryGiB * 1024, cpus, hugepages, pinCpus };
  return (
    <div>
      <p className="lead">The Windows VM that gets the GPU.</p>
      <div className="segmented" role="radiogroup" aria-label="New or existing VM">
        <label>
          <input type="radio" name="vm-mode" checked={mode === 'create'} onChange={() => setMode('create')} />
          Create a new VM
        </label>
        <label>
          <input
            type="radio"
            name="vm-mode"
            checked={mode === 'attach'}
            onChange={() => setMode('attach')}
            disabled={vms.length === 0}
          />
          Use an existing VM{vms.length === 0 ? ' (none found)' : ''}
        </label>
      </div>
      <div className="form">
        {mode === 'create' ? (
          <label>
            Name
            <input value={vmName} onChange={(e) => setVmName(e.target.value)} maxLength={64} />
          </label>
        ) : (
          <label>
            VM
            <select value={vmName} onChange={(e) => setVmName(e.target.value)}>
              {vms.map((v) => (
                <option key={v.name}>{v.name}</option>
              ))}
            </select>
          </label>
        )}
        {mode === 'create' && (
          <>
            <label>
              Memory (GiB)
              <input type="number" min={2} max={512} value={memoryGiB} onChange={(e) => setMemoryGiB(Number(e.target.value))} />
            </label>
            <label>
              CPU threads
              <input type="number" min={1} max={256} value={cpus} onChange={(e) => setCpus(Number(e.target.value))} />
            </label>
            <label className="check-label">
              <input type="checkbox" checked={pinCpus} onChange={(e) => setPinCpus(e.target.checked)} />
              <span>
                Pin CPU threads <span className="muted small">— the VM's cores stay on the same host cores, which removes stutter in games.</span>
              </span>
            </label>
            <label className="check-label">
              <input type="checkbox" checked={hugepages} onChange={(e) => setHugepages(e.target.checked)} />
              <span>
                Huge pages <span className="muted small">— faster memory access, but the memory is reserved while the VM runs.</span>
              </span>
            </label>
          </>
        )}
      </div>
      <GoalPicker goals={vmGoals} options={(g) => goalOptions(g, choices)} />
    </div>
  );
};
