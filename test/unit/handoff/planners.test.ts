import { describe, expect, it } from 'vitest';
import { parseHandoffConfig } from '../../../shared/handoff/config';
import { planHandoffConfig } from '../../../shared/handoff/plan-handoff-config';
import { planHookInstall } from '../../../shared/handoff/plan-hook-install';
import { hookScript, runtimeScript } from '../../../shared/handoff/runtime-files.generated';
import { goalsByName } from '../../../shared/plan/goals.registry';
import { fixtureHost } from '../lg/load-fixture';

describe('handoff-config goal', () => {
  it('single-GPU NVIDIA desktop: every function, the NVIDIA stack in unload order, the display manager', async () => {
    const host = await fixtureHost('nvidia-only-desktop');
    const goal = goalsByName().get('handoff-config');
    expect(goal).toBeDefined();
    const [example] = goal?.examples(host) ?? [];
    expect(example).toBeDefined();
    const plan = planHandoffConfig(host, { vm: 'Win 11', gpu: (example as { gpu: string }).gpu });
    expect(plan.steps).toHaveLength(1);
    const step = plan.steps[0];
    if (step?.kind !== 'write-file') throw new Error('expected a write-file step');
    expect(step.path).toBe('/etc/gpu-ferry/vms/Win%2011.conf');
    expect(step.mode).toBe(0o644);
    const parsed = parseHandoffConfig(step.content);
    if (!parsed.ok) throw new Error(parsed.error);
    expect(parsed.config.mode).toBe('single-gpu');
    expect(parsed.config.devices.length).toBeGreaterThanOrEqual(2);
    expect(parsed.config.devices.every((d) => d.slice(0, 10) === parsed.config.devices[0]?.slice(0, 10))).toBe(true);
    expect(parsed.config.modules).toEqual(['nvidia_uvm', 'nvidia_drm', 'nvidia_modeset', 'nvidia']);
    expect(parsed.config.displayManager).toBe(host.displayManager.unit);
    expect(plan.warnings.join(' ')).toMatch(/close the desktop/);
  });

  it('dual-GPU host: no modules unloaded, no display manager touched', async () => {
    const host = await fixtureHost('intel-igpu-nvidia');
    const [example] = goalsByName().get('handoff-config')?.examples(host) ?? [];
    const plan = planHandoffConfig(host, { vm: 'w', gpu: (example as { gpu: string }).gpu });
    const step = plan.steps[0];
    if (step?.kind !== 'write-file') throw new Error('expected a write-file step');
    const parsed = parseHandoffConfig(step.content);
    expect(parsed).toMatchObject({ ok: true, config: { mode: 'dual-gpu', modules: [], displayManager: null } });
  });

  it('refuses an unknown GPU and a bad VM name, with the reason', async () => {
    const host = await fixtureHost('nvidia-only-desktop');
    expect(() => planHandoffConfig(host, { vm: 'w', gpu: '0000:7f:00.0' })).toThrow(/No GPU at 0000:7f:00.0.*GPUs found: 0000:/);
    const options = goalsByName().get('handoff-config')?.options;
    expect(options?.safeParse({ vm: 'a/b', gpu: '0000:01:00.0' }).success).toBe(false);
    expect(options?.safeParse({ vm: 'ok', gpu: 'nope' }).success).toBe(false);
  });
});

describe('hook-install goal', () => {
  it('installs the runtime and hook (executable) with the scripts’ exact content and restarts the libvirt daemon', async () => {
    const host = await fixtureHost('distro-fedora');
    const plan = planHookInstall(host);
    expect(plan.steps.map((s) => s.kind)).toEqual(['write-file', 'write-file', 'unit']);
    expect(plan.steps[0]).toMatchObject({ path: '/usr/libexec/gpu-ferry/gpu-ferry-handoff', mode: 0o755, content: runtimeScript });
    expect(plan.steps[1]).toMatchObject({ path: '/etc/libvirt/hooks/qemu.d/gpu-ferry', mode: 0o755, content: hookScript });
    expect(plan.steps[2]).toMatchObject({ kind: 'unit', action: 'restart' });
    expect(hookScript).toContain('/usr/libexec/gpu-ferry/gpu-ferry-handoff');
  });
});
