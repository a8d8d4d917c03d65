// Guard on display-off-vm-gpu's udev rule, against the machine root scanned itself: the rule hides from
// GNOME only the GPU its file is named after, a GPU of this machine, never its only GPU, the one the firmware
// starts on nor the one that drives every screen (the desktop would have none left).
import type { HostModel } from '../../shared/host/model';
import type { Plan } from '../../shared/plan/model';
import { isUdevRulePath, udevRulePath } from '../../shared/handoff/display-off-files';
import { isDisplayClass, onlyHostDisplay } from '../../shared/setup/host-facts';
import type { DeviceProblem } from './guard-devices';

export function displayOffProblem(host: HostModel, plan: Plan): DeviceProblem | null {
  for (const [i, step] of plan.steps.entries()) {
    if (step.kind !== 'write-file' || !isUdevRulePath(step.path)) continue;
    const named = [...step.content.matchAll(/KERNELS=="([^"]*)"/g)].map((m) => m[1] ?? '');
    for (const address of named) {
      if (udevRulePath(address) !== step.path)
        return {
          code: 'content-not-allowed',
          step: i,
          message: `'${step.path}' would hide another device than the one it is named after`,
        };
      const gpu = host.pci.find((d) => d.address === address);
      if (!gpu || !isDisplayClass(gpu))
        return { code: 'device-not-allowed', step: i, message: `${address} is not a GPU of this machine` };
      if (!host.pci.some((d) => d.address !== address && isDisplayClass(d)))
        return {
          code: 'device-not-allowed',
          step: i,
          message: `${address} is this machine's only GPU: the desktop would be left without one`,
        };
      if (gpu.bootVga === true || onlyHostDisplay(host, gpu))
        return {
          code: 'device-not-allowed',
          step: i,
          message: `${address} drives the host's display: the desktop would be left without a screen`,
        };
    }
  }
  return null;
}
