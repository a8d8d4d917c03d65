import { describe, expect, it } from 'vitest';
import { parseSse } from '../../renderer/src/api/fetch-client';
import { formatMs, lastHandoff } from '../../renderer/src/dashboard/last-handoff';
import { diffLines, highlight } from '../../renderer/src/plans/diff-lines';
import { goalsForStep, resumeStep, stepState, wizardSteps } from '../../renderer/src/wizard/steps';
import { singleGpuReport } from './fake-api';

const vm = { name: 'win11', state: 'shut off', mode: 'single-gpu' as const, gpu: null };
const applied = { id: 'j', goal: 'iommu', title: 't', createdAt: '', state: 'applied' as const, files: [] };

describe('wizard resume', () => {
  it('resumes where the machine is, not where the wizard was; a first run starts with the welcome', () => {
    const off = singleGpuReport();
    expect(resumeStep(off, [], [])).toBe('welcome'); // nothing done through GPU Ferry yet
    expect(resumeStep(off, [], [applied])).toBe('boot'); // applied, waiting for the reboot
    const on = singleGpuReport({ iommu: { state: 'on', groups: 30 }, checks: [] });
    const isolated = { ...on, gpus: on.gpus.map((g) => ({ ...g, isolation: 'isolated' as const, groupPeers: [] })) };
    expect(resumeStep(isolated, [], [applied])).toBe('vm');
    expect(resumeStep(isolated, [vm], [applied])).toBe('vm'); // a VM without the GPU is not set up yet
    expect(resumeStep(isolated, [{ ...vm, gpu: '0000:0a:00.0' }], [])).toBe('done');
    expect(resumeStep(singleGpuReport({ gpus: [] }), [vm], [applied])).toBe('check');
    // The IOMMU on is not enough: a GPU sharing its group is the GPU step; libvirt missing is the check step.
    expect(resumeStep(on, [], [applied])).toBe('gpu');
    const noLibvirt = { ...isolated, checks: [{ id: 'libvirt', status: 'fail' as const, message: 'libvirt (virsh) is not installed', fix: 'Install it.' }] };
    expect(resumeStep(noLibvirt, [], [applied])).toBe('check');
    // Off in the firmware: only the firmware setting can fix it, so the check step explains it (not boot setup).
    expect(resumeStep({ ...isolated, iommu: { state: 'off-in-firmware', groups: 0 } }, [], [applied])).toBe('check');
  });

  it('draws each step from the machine, never as done because it was visited', () => {
    const on = singleGpuReport({ iommu: { state: 'on', groups: 30 }, checks: [] });
    expect(stepState('check', on, [], null)).toBe('done');
    expect(stepState('gpu', on, [], null)).toBe('todo'); // its group is shared
    expect(stepState('boot', on, [], null)).toBe('done');
    expect(stepState('vm', on, [vm], null)).toBe('todo');
    expect(stepState('vm', on, [{ ...vm, gpu: '0000:0a:00.0' }], null)).toBe('done');
    const off = singleGpuReport();
    expect(stepState('check', off, [], null)).toBe('todo');
    expect(stepState('boot', off, [], null)).toBe('todo');
    expect(stepState('welcome', off, [], null)).toBe('none');
  });

  it('shows Looking Glass only for two GPUs', () => {
    expect(wizardSteps(singleGpuReport())).not.toContain('looking-glass');
    const dual = singleGpuReport({ recommendation: { mode: 'dual-gpu', gpu: '0000:0a:00.0', reasons: [] } });
    expect(wizardSteps(dual)).toEqual(['welcome', 'check', 'gpu', 'boot', 'vm', 'looking-glass', 'done']);
  });

  it('sorts goals into steps by name', () => {
    const goals = ['iommu', 'vfio-early', 'vm-create', 'hook-install', 'lg-host'].map((name) => ({ name, summary: name }));
    expect(goalsForStep('boot', goals).map((g) => g.name)).toEqual(['iommu', 'vfio-early']);
    expect(goalsForStep('vm', goals).map((g) => g.name)).toEqual(['vm-create', 'hook-install']);
    expect(goalsForStep('looking-glass', goals).map((g) => g.name)).toEqual(['lg-host']);
  });

  it("offers keeping the desktop off the VM's GPU in the VM step with two GPUs only", () => {
    const goals = ['handoff-config', 'hook-install', 'display-off-vm-gpu', 'vfio-early'].map((name) => ({ name, summary: name }));
    expect(goalsForStep('vm', goals, 'dual-gpu').map((g) => g.name)).toEqual(['handoff-config', 'hook-install', 'display-off-vm-gpu']);
    expect(goalsForStep('vm', goals, 'single-gpu').map((g) => g.name)).toEqual(['handoff-config', 'hook-install']);
    expect(goalsForStep('vm', goals, 'none').map((g) => g.name)).toEqual(['handoff-config', 'hook-install']);
  });
});

describe('diff lines', () => {
  it('marks added, removed and context lines of an edit', () => {
    const lines = diffLines('/etc/default/grub', 'A=1\nB="quiet"\n', 'A=1\nB="quiet intel_iommu=on"\n');
    expect(lines.map((l) => l.kind)).toEqual(['hunk', 'ctx', 'del', 'add']);
    expect(lines[3]?.text).toBe('B="quiet intel_iommu=on"');
  });
  it('a new file is all additions', () => {
    expect(diffLines('/etc/modprobe.d/vfio.conf', '', 'options vfio-pci ids=10de:2206\n').filter((l) => l.kind === 'add')).toHaveLength(1);
  });
  it('splits comments, keys and strings for colour', () => {
    expect(highlight('# comment')).toEqual([{ cls: 'comment', text: '# comment' }]);
    expect(highlight('GRUB_CMDLINE="quiet"').map((t) => t.cls)).toEqual(['key', 'plain', 'string']);
  });
});

describe('handoff timeline', () => {
  // Events as the runtime writes them (resources/handoff/gpu-ferry-handoff): phase markers, steps, undos.
  const ev = (phase: string, step: string, status: string, durationMs: number | null, message = '') => ({ ts: '', vm: 'win11', phase, step, status, durationMs, message });
  it('shows the last prepare and its release in words, in log order, with durations scaled to the longest step', () => {
    const log = [
      ev('prepare', 'prepare', 'start', null), ev('prepare', 'holders', 'ok', 3), ev('prepare', 'prepare', 'done', 3), // an older handoff
      ev('prepare', 'prepare', 'start', null, 'mode single-gpu'), ev('prepare', 'dm-stop', 'ok', 1000, 'stopped sddm.service'),
      ev('prepare', 'vfio-bind', 'ok', 250), ev('prepare', 'prepare', 'done', 1300, 'GPU handed over to win11'),
      ev('release', 'dm-stop', 'undone', 500, 'started sddm.service'), ev('release', 'release', 'done', 520),
    ];
    const t = lastHandoff(log);
    expect(t.failed).toBe(false);
    expect(t.runs.map((r) => [r.title, r.summary])).toEqual([
      ['Handing the GPU to win11', 'The GPU went to win11 in 1.3 s.'],
      ['Giving the GPU back to the host', 'The GPU came back to the host in 520 ms.'],
    ]);
    expect(t.runs[0]?.rows.map((r) => `${r.phase}: ${r.label} ${r.status}`)).toEqual(['Prepare: Stop the display manager done', 'Prepare: Give the GPU to vfio-pci done']);
    expect(t.runs[1]?.rows.map((r) => `${r.phase}: ${r.label} ${r.status}`)).toEqual(['Release: Start the display manager again undone']);
    expect(t.runs.flatMap((r) => r.rows.map((x) => x.share))).toEqual([1, 0.25, 0.5]);
    expect(formatMs(1750)).toBe('1.8 s');
    expect(formatMs(null)).toBe('—');
  });
  it('a failed prepare names the failed step and its rollback; an incomplete rollback says to rescue', () => {
    const failed = [
      ev('prepare', 'prepare', 'start', null), ev('prepare', 'dm-stop', 'ok', 10), ev('prepare', 'holders', 'fail', 2, 'the GPU is in use by: 42:steam(/dev/nvidia0)'),
      ev('prepare', 'rollback', 'start', null), ev('rollback', 'dm-stop', 'undone', 4, 'started sddm.service'), ev('rollback', 'rollback', 'done', null),
      ev('prepare', 'prepare', 'fail', 20, 'failed at holders; rolled back'),
    ];
    const t = lastHandoff(failed);
    expect(t.failed).toBe(true);
    expect(t.runs).toHaveLength(1);
    expect(t.runs[0]?.summary).toBe('Failed at “Check that no program uses the GPU”. Rolled back: 1 step undone, the GPU stayed on the host.');
    expect(t.runs[0]?.rows.map((r) => [r.phase, r.label, r.status, r.failed, r.rollback])).toEqual([
      ['Prepare', 'Stop the display manager', 'done', false, false],
      ['Prepare', 'Check that no program uses the GPU', 'failed', true, false],
      ['Rollback', 'Start the display manager again', 'undone', false, true],
    ]);
    // Refused by the first step (a holder outside the desktop session): nothing was changed, and the words say so.
    const refusedFirst = [
      ev('prepare', 'prepare', 'start', null), ev('prepare', 'holders-first', 'fail', 30, 'the GPU is in use by: 7:hold-card(/dev/dri/card0); nothing signalled: not part of the graphical session being ended: 7:hold-card; nothing was stopped'),
      ev('prepare', 'rollback', 'start', null), ev('rollback', 'rollback', 'done', null), ev('prepare', 'prepare', 'fail', 31, 'failed at holders-first; rolled back'),
    ];
    expect(lastHandoff(refusedFirst).runs[0]?.summary).toBe(
      'Failed at “Check that only the desktop session uses the GPU”. Nothing had been changed yet: the GPU and the desktop stayed as they were.');
    const stuck = failed.map((e) => (e.phase === 'rollback' && e.step === 'dm-stop' ? { ...e, status: 'fail' } : e));
    expect(lastHandoff(stuck).runs[0]?.summary).toMatch(/rollback did not finish: run “gpu-ferry rescue”/);
    // After the rescue ran, the card shows it instead of still asking for it.
    const rescued = [...stuck, ev('rescue', 'rescue', 'start', null), ev('rescue', 'rescue', 'ok', null, '0000:0a:00.0 back on nvidia'), ev('rescue', 'rescue', 'done', 2100)];
    const shown = lastHandoff(rescued).runs;
    expect(shown.map((r) => r.title)).toEqual(['Handing the GPU to win11', 'Rescue']);
    expect(shown[1]?.summary).toBe('The rescue gave the GPU back to the host in 2.1 s.');
    expect(shown[1]?.rows.map((r) => [r.phase, r.message])).toEqual([['Rescue', '0000:0a:00.0 back on nvidia']]);
  });
});

describe('event stream parsing', () => {
  it('splits complete messages and keeps the unfinished tail', () => {
    const { messages, rest } = parseSse(': hi\n\nevent: vm.state\ndata: {"a":1}\n\nevent: plan.progress\ndata: {"b"');
    expect(messages).toEqual([{ event: 'vm.state', data: '{"a":1}' }]);
    expect(rest).toBe('event: plan.progress\ndata: {"b"');
  });
});
