// Step 4: the Windows VM that gets the GPU — create a new one or give the GPU to one you have, with each
// tuning choice explained; review the exact change to its definition; apply; then set up the handoff
// (the hook that moves the GPU when the VM starts and stops) and huge pages if chosen. An SR-IOV virtual
// function needs no handoff: libvirt moves it alone, and the host keeps the GPU.
import { useState } from 'react';
import { VmChangeReview } from '../plans/VmChangeReview';
import { useAppStore } from '../store/context';
import { goalOptions } from './goal-options';
import { GoalPicker } from './GoalPicker';
import { effectiveGpu, goalsForStep } from './steps';
import { VmFields } from './VmFields';
import { ScreenWords } from './InputFields';
import { defaultVmForm, vmRequest, type VmForm } from './vm-request';

export const VmStep = () => {
  const { goals, chosenGpu, sriov, mode, vms, busy, reviewVmChange, discardVmChange } = useAppStore((s) => ({
    goals: s.goals,
    sriov: s.report?.sriov,
    chosenGpu: effectiveGpu(s.report, s.selectedGpu),
    mode: s.report?.recommendation.mode ?? 'none',
    vms: s.vms,
    busy: s.vmChangeBusy,
    reviewVmChange: s.reviewVmChange,
    discardVmChange: s.discardVmChange,
  }));
  const gpu = chosenGpu?.address ?? null;
  const isVf = (sriov ?? []).some((pf) => pf.virtualFunctions.some((vf) => vf.address === gpu));
  // The same rule main uses for the new VM's screen (shared/vm/vm-change.ts displayFor).
  const singleGpu = chosenGpu?.drivesHostDisplay === true;
  const [form, setForm] = useState<VmForm>(() => defaultVmForm(vms[0]?.name ?? null));
  const update = (patch: Partial<VmForm>) => {
    discardVmChange(); // a review shows the choices it was made from, never older ones
    setForm((f) => ({ ...f, ...patch }));
  };
  const switchMode = (m: VmForm['mode']) => update({ mode: m, name: m === 'attach' ? (vms[0]?.name ?? '') : 'windows' });
  const handoffGoals = goalsForStep('vm', goals, mode).filter((g) => g.name !== 'hugepages');
  const hugepagesGoal = goals.filter((g) => g.name === 'hugepages');
  const chosen = vms.find((v) => v.name === form.name);
  // Done from the machine: a VM that has this GPU (libvirt's list), not from a click.
  const done = gpu !== null && vms.some((v) => v.gpu === gpu);
  const choices = { gpu, vmName: form.name, mode, memoryMiB: Math.round(form.memoryGiB * 1024) };
  return (
    <div>
      <p className="lead">
        The Windows VM that gets the GPU. GPU Ferry writes its definition for you, with a keyboard and mouse and, where
        this machine has a screen to spare, a window for the installer.
      </p>
      {form.mode === 'create' && <ScreenWords singleGpu={singleGpu} />}
      <div className="segmented" role="radiogroup" aria-label="New or existing VM">
        <label>
          <input type="radio" name="vm-mode" checked={form.mode === 'create'} onChange={() => switchMode('create')} />
          Create a new VM
        </label>
        <label>
          <input type="radio" name="vm-mode" checked={form.mode === 'attach'} onChange={() => switchMode('attach')} disabled={vms.length === 0} />
          Use an existing VM{vms.length === 0 ? ' (none found)' : ''}
        </label>
      </div>
      <h3>1. The VM{done ? ' ✓' : ''}</h3>
      <VmFields form={form} vms={vms} onChange={update} singleGpu={singleGpu} />
      {gpu ? (
        <p className="muted small">
          {chosenGpu?.name ?? 'The GPU'} ({gpu}) {form.mode === 'create' ? 'is passed through' : chosen?.gpu === gpu ? 'is already passed through (kept)' : 'will be added'}
          {isVf ? ' on its own: an SR-IOV virtual function, while the host keeps the GPU.' : ', with every function of its card.'}
        </p>
      ) : (
        <p className="warn-line">No GPU is chosen yet: go back to “Choose the GPU”, or the VM gets no GPU.</p>
      )}
      <div className="actions">
        <button type="button" className="btn btn-primary" disabled={busy !== null || form.name.trim() === ''} onClick={() => void reviewVmChange(vmRequest(form, gpu))}>
          Review the change
        </button>
      </div>
      <VmChangeReview />
      {isVf ? (
        <>
          {/* The host keeps the GPU: libvirt's managed hostdev moves the VF alone (no handoff config, no hook). */}
          <h3>2. When the VM starts and stops</h3>
          <p className="muted">
            A virtual function needs no handoff: libvirt gives it to vfio-pci when the VM starts and takes it back when
            the VM stops, while Linux keeps the GPU and your screen.
          </p>
          {form.hugepages && <GoalPicker goals={hugepagesGoal} options={(g) => goalOptions(g, choices)} />}
        </>
      ) : (
        <>
          <h3>2. Hand the GPU over, in this order</h3>
          <p className="muted">
            {mode === 'single-gpu'
              ? 'With one GPU, your desktop closes while the VM runs and comes back when it shuts down. These set that up for this VM.'
              : 'These set up how the GPU moves between Linux and the VM when it starts and stops, and keep the Linux desktop on your other GPU.'}
          </p>
          <GoalPicker goals={[...handoffGoals, ...(form.hugepages ? hugepagesGoal : [])]} options={(g) => goalOptions(g, choices)} />
        </>
      )}
    </div>
  );
};
