// Goal `hook-install`: install the handoff runtime and the libvirt qemu.d hook, then restart the libvirt
// daemon (a new hook is only noticed at daemon start).
import { z } from 'zod';
import type { HostModel } from '../host/model';
import { defineGoal } from '../plan/goals';
import { emptyPlan, type Plan } from '../plan/model';
import { libvirtQemuUnit } from '../lg/libvirt-unit';
import { HOOK_PATH, RUNTIME_PATH } from './installed-paths';
import { hookScript, runtimeScript } from './runtime-files.generated';

export function planHookInstall(host: HostModel): Plan {
  const plan = emptyPlan('hook-install', 'Install the GPU Ferry libvirt hook and handoff runtime');
  const same = (path: string, content: string): boolean => host.files[path] === content;
  if (!same(RUNTIME_PATH, runtimeScript))
    plan.steps.push({ kind: 'write-file', path: RUNTIME_PATH, content: runtimeScript, mode: 0o755, owner: 'root', group: 'root',
      reason: 'The handoff runtime: stops the display, hands the GPU to vfio-pci, and gives it back (runs without the app).' });
  if (!same(HOOK_PATH, hookScript))
    plan.steps.push({ kind: 'write-file', path: HOOK_PATH, content: hookScript, mode: 0o755, owner: 'root', group: 'root',
      reason: 'libvirt runs it at VM start and stop; it acts only on VMs with a GPU Ferry handoff config.' });
  if (plan.steps.length > 0)
    plan.steps.push({ kind: 'unit', action: 'restart', unit: libvirtQemuUnit(host), reason: 'libvirt notices a new hook only when it starts.' });
  if (host.libvirt.qemuDispatcher)
    plan.warnings.push('You have your own /etc/libvirt/hooks/qemu dispatcher. If it also runs qemu.d/*, the GPU Ferry hook notices and runs only once.');
  if (!host.libvirt.libvirtd && !host.commands.includes('virtqemud'))
    plan.warnings.push('libvirt does not seem to be installed: the hook will do nothing until it is.');
  return plan;
}

export const hookInstallGoal = defineGoal({
  name: 'hook-install',
  summary: 'Install the libvirt hook (/etc/libvirt/hooks/qemu.d/gpu-ferry) and the handoff runtime, restart libvirt',
  options: z.strictObject({}),
  flags: {},
  plan: (host) => planHookInstall(host),
  examples: () => [{}],
});
