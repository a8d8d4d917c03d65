// The guards root applies to the plan it computed, before anything changes. The planners are trusted
// code, but the machine they read is data: these checks hold whatever a planner made of it.
//   - files only at paths the goals own (owned-paths.ts); removing only GPU Ferry's own files; written
//     files root's, not writable by group or others; no control characters but newline and tab
//   - edits keep the rest of each file byte for byte, and change only what the goal changes (guard-files.ts)
//   - commands, units and modules only as the planners run them; kernel parameters only from the goals'
//     known set (guard-commands.ts)
//   - huge pages at most MAX_SHARE of RAM; vfio-pci only for a card's own functions and their IOMMU group
//     peers, a handoff config's DEVICES only a card's own functions (shared/analyze/card-devices.ts), never
//     a controller holding a mounted filesystem or the network interface in use
//     (guard-devices.ts)
//   - display-off-vm-gpu's udev rule: only a GPU of this machine that does not drive the host's display
//     (guard-display-off.ts)
//   - SR-IOV on the running kernel: sriov_numvfs only of a physical function that offers SR-IOV, at most
//     its sriov_totalvfs; vfio-pci only for a VF of that PF; never a VF in use (guard-sriov.ts)
import type { HostModel } from '../../shared/host/model';
import type { Plan } from '../../shared/plan/model';
import { guardCommandStep } from './guard-steps';
import { fileStepProblem } from './guard-files';
import { devicesProblem } from './guard-devices';
import { sriovProblem } from './guard-sriov';
import { displayOffProblem } from './guard-display-off';
import { reject } from './output';

export function guardPlan(host: HostModel, plan: Plan): void {
  const seen = new Set<string>();
  plan.steps.forEach((step, i) => {
    if (step.kind === 'private-edit') throw reject('private-edit-not-computed', i, `'${step.path}': root applies an edit by rule only once it has computed it`);
    if (step.kind === 'write-file' || step.kind === 'edit-file' || step.kind === 'remove-file') {
      if (seen.has(step.path)) throw reject('duplicate-path', i, `'${step.path}' appears in more than one step`);
      seen.add(step.path);
      const problem = fileStepProblem(step);
      if (problem) throw reject(problem.code, i, problem.message);
    } else guardCommandStep(step, i);
  });
  const devices = devicesProblem(host, plan);
  if (devices) throw reject(devices.code, devices.step, devices.message);
  const displayOff = displayOffProblem(host, plan);
  if (displayOff) throw reject(displayOff.code, displayOff.step, displayOff.message);
  const sriov = sriovProblem(host, plan);
  if (sriov) throw reject(sriov.code, sriov.step, sriov.message);
}
