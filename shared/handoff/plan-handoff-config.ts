// Goal `handoff-config`: write /etc/gpu-ferry/vms/<vm>.conf for one VM and one GPU, with every function
// of the GPU (from the doctor report), the driver stack to unload, and the display manager unit.
import { z } from 'zod';
import type { HostModel } from '../host/model';
import { buildDoctorReport } from '../analyze/doctor';
import { defineGoal } from '../plan/goals';
import { emptyPlan, type Plan } from '../plan/model';
import { checkVmName } from '../vm/vm-name';
import { handoffConfigPath, renderHandoffConfig, type HandoffConfig } from './config';
import { driverStack } from './driver-stack';

export const handoffConfigOptions = z.strictObject({
  vm: z.string().refine((v) => checkVmName(v).ok, { error: (i) => { const c = checkVmName(String(i.input)); return c.ok ? 'bad VM name' : c.reason; } }),
  gpu: z
    .string()
    .regex(/^[0-9a-fA-F]{4}:[0-9a-fA-F]{2}:[0-9a-fA-F]{2}\.[0-7]$/, 'must be a PCI address like 0000:0a:00.0')
    .transform((s) => s.toLowerCase()),
  mode: z.enum(['single-gpu', 'dual-gpu']).optional(),
  session: z.enum(['wait', 'terminate']).optional(),
  holders: z.enum(['refuse', 'terminate']).optional(),
});
export type HandoffConfigOptions = z.infer<typeof handoffConfigOptions>;

export function handoffConfigFor(host: HostModel, o: HandoffConfigOptions): HandoffConfig {
  const report = buildDoctorReport(host);
  const gpu = report.gpus.find((g) => g.address === o.gpu || g.functions.includes(o.gpu));
  if (!gpu) {
    const known = report.gpus.map((g) => g.address).join(', ') || 'none';
    throw new Error(`No GPU at ${o.gpu} on this machine (GPUs found: ${known}).`);
  }
  if (gpu.integrated) throw new Error(`${gpu.address} (${gpu.name}) is an integrated GPU: it cannot be handed to a VM this way.`);
  const mode = o.mode ?? (gpu.drivesHostDisplay ? 'single-gpu' : 'dual-gpu');
  return {
    vm: o.vm,
    mode,
    devices: [...new Set([gpu.address, ...gpu.functions])].sort(),
    // In dual-gpu mode the host keeps using its own GPU, possibly with the same driver: unload nothing.
    modules: mode === 'single-gpu' ? driverStack(gpu.driver) : [],
    displayManager: mode === 'single-gpu' ? host.displayManager.unit : null,
    session: o.session ?? 'terminate',
    holders: o.holders ?? 'refuse',
    // Longer than systemd itself gives a unit to stop (DefaultTimeoutStopSec=90s) before it kills it: a display
    // manager that takes 25 s to stop on a busy machine is slow, not stuck (the system tier saw > 20 s at load ~4),
    // and one that ignores SIGTERM is killed by systemd at 90 s, which ends the stop job: waiting exactly 90 s
    // raced that kill and failed the handoff (the system tier saw LightDM hang so, 2 runs in about 10).
    timeoutStopSeconds: 120,
    timeoutDeviceSeconds: 10,
  };
}

export function planHandoffConfig(host: HostModel, o: HandoffConfigOptions): Plan {
  const config = handoffConfigFor(host, o);
  const plan = emptyPlan('handoff-config', `Handoff config for VM "${o.vm}" (${config.mode}, ${config.devices.join(' ')})`);
  plan.steps.push({
    kind: 'write-file',
    path: handoffConfigPath(o.vm),
    content: renderHandoffConfig(config),
    mode: 0o644,
    owner: 'root',
    group: 'root',
    reason: `Tells the libvirt hook which functions to hand to "${o.vm}" and what to stop and restore around it.`,
  });
  if (config.mode === 'single-gpu')
    plan.warnings.push(`Starting "${o.vm}" will close the desktop (${config.displayManager ?? 'display manager'}): save your work first. It comes back when the VM shuts down.`);
  return plan;
}

export const handoffConfigGoal = defineGoal({
  name: 'handoff-config',
  summary: 'Write the per-VM handoff config the libvirt hook reads: GPU functions, driver stack, display manager',
  options: handoffConfigOptions,
  flags: { '--vm': { key: 'vm' }, '--gpu': { key: 'gpu' }, '--mode': { key: 'mode' }, '--session': { key: 'session' }, '--holders': { key: 'holders' } },
  plan: planHandoffConfig,
  examples: (host) =>
    buildDoctorReport(host)
      .gpus.filter((g) => !g.integrated)
      .slice(0, 1)
      .map((g) => handoffConfigOptions.parse({ vm: 'Win 11 Gaming', gpu: g.address })),
});
