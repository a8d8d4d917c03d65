// Root's guard on display-off-vm-gpu's udev rule (electron/privileged/guard-display-off.ts), each as the plan
// a buggy planner or a hostile scan could make: a rule that hides from GNOME another device than its file
// names, the GPU the firmware starts on, the GPU that drives every screen, a device that is no GPU, the
// machine's only GPU. The black-box side (requests through the real program) is test/helper/display-off.test.ts.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadHost, type LoadedHost } from '../../../electron/host/load';
import type { HostModel } from '../../../shared/host/model';
import { udevRule, udevRulePath } from '../../../shared/handoff/display-off-files';
import { planDisplayOff } from '../../../shared/handoff/plan-display-off';
import { emptyPlan, type Plan, type Step } from '../../../shared/plan/model';
import { refusalOf, writeFileStep } from './refusal';

const HOSTS = path.resolve(__dirname, '../../fixtures/hosts');
const IGPU = '0000:00:02.0'; // boot VGA, the screen connected
const DGPU = '0000:01:00.0'; // the VM's GPU
const AUDIO = '0000:00:1f.3';
let dual: LoadedHost;
let single: LoadedHost;
beforeAll(async () => {
  dual = await loadHost({ host: path.join(HOSTS, 'intel-igpu-nvidia.host.json') });
  single = await loadHost({ host: path.join(HOSTS, 'nvidia-only-desktop.host.json') });
});
afterAll(async () => {
  await dual.cleanup();
  await single.cleanup();
});

const rule = (file: string, content: string): Step => writeFileStep(file, content, { before: null });
const plan = (...steps: Step[]): Plan => ({ ...emptyPlan('display-off-vm-gpu', 'test'), steps });
const refusal = (host: HostModel, p: Plan): string | null => {
  const r = refusalOf(host, p);
  return r && `${r.code}: ${r.message}`;
};

describe("guard on display-off-vm-gpu's udev rule at root", () => {
  it("passes the planner's own plan for the VM's GPU", () => {
    expect(refusal(dual.model, planDisplayOff(dual.model, { gpu: DGPU }))).toBeNull();
  });

  it('refuses a rule that hides another device than the one its file is named after', () => {
    expect(refusal(dual.model, plan(rule(udevRulePath(DGPU), udevRule(IGPU))))).toMatch(
      /^content-not-allowed: .*another device/,
    );
    // A second line for the boot GPU in the VM GPU's own file.
    const both = `${udevRule(DGPU)}${udevRule(IGPU).split('\n')[1]!}\n`;
    expect(refusal(dual.model, plan(rule(udevRulePath(DGPU), both)))).toMatch(
      /^content-not-allowed: .*another device/,
    );
  });

  it("refuses hiding the host's display GPU, a device that is no GPU, a device the machine does not have", () => {
    expect(refusal(dual.model, plan(rule(udevRulePath(IGPU), udevRule(IGPU))))).toMatch(
      /^device-not-allowed: 0000:00:02.0 drives the host's display/,
    );
    expect(refusal(dual.model, plan(rule(udevRulePath(AUDIO), udevRule(AUDIO))))).toMatch(
      /^device-not-allowed: 0000:00:1f.3 is not a GPU of this machine/,
    );
    expect(refusal(dual.model, plan(rule(udevRulePath('0000:7f:00.0'), udevRule('0000:7f:00.0'))))).toMatch(
      /^device-not-allowed: 0000:7f:00.0 is not a GPU/,
    );
  });

  it('refuses hiding the only GPU, even when the scan shows it driving no screen and not the boot GPU', () => {
    const gpu = '0000:0a:00.0';
    const headless: HostModel = {
      ...single.model,
      pci: single.model.pci.map((d) =>
        d.address === gpu
          ? {
              ...d,
              bootVga: false,
              drm: d.drm && {
                ...d.drm,
                connectors: Object.fromEntries(
                  Object.keys(d.drm.connectors ?? {}).map((c) => [c, 'disconnected']),
                ),
              },
            }
          : d,
      ),
    };
    expect(refusal(headless, plan(rule(udevRulePath(gpu), udevRule(gpu))))).toMatch(
      /^device-not-allowed: 0000:0a:00.0 is this machine's only GPU/,
    );
  });
});
