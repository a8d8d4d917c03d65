import { describe, expect, it } from 'vitest';
import { parseSse } from '../../renderer/src/api/fetch-client';
import { formatMs, lastHandoff } from '../../renderer/src/dashboard/last-handoff';
import { diffLines, highlight } from '../../renderer/src/plans/diff-lines';
import { goalsForStep, resumeStep, wizardSteps } from '../../renderer/src/wizard/steps';
import { singleGpuReport } from './fake-api';

const vm = { name: 'win11', state: 'shut off', mode: 'single-gpu' as const, gpu: null };
const applied = { id: 'j', goal: 'iommu', title: 't', createdAt: '', state: 'applied' as const, files: [] };

describe('wizard resume', () => {
  it('resumes where the machine is, not where the wizard was', () => {
    const off = singleGpuReport();
    expect(resumeStep(off, [], [])).toBe('check');
    expect(resumeStep(off, [], [applied])).toBe('boot'); // applied, waiting for the reboot
    const on = singleGpuReport({ iommu: { state: 'on', groups: 30 } });
    expect(resumeStep(on, [], [applied])).toBe('vm');
    expect(resumeStep(on, [vm], [])).toBe('vm'); // a VM without the GPU is not set up yet
    expect(resumeStep(on, [{ ...vm, gpu: '0000:0a:00.0' }], [])).toBe('done');
    expect(resumeStep(singleGpuReport({ gpus: [] }), [vm], [])).toBe('check');
  });

  it('shows Looking Glass only for two GPUs', () => {
    expect(wizardSteps(singleGpuReport())).not.toContain('looking-glass');
    const dual = singleGpuReport({ recommendation: { mode: 'dual-gpu', gpu: '0000:0a:00.0', reasons: [] } });
    expect(wizardSteps(dual)).toEqual(['check', 'gpu', 'boot', 'vm', 'looking-glass', 'done']);
  });

  it('sorts goals into steps by name', () => {
    const goals = ['iommu', 'vfio-early', 'vm-create', 'hook-install', 'lg-host'].map((name) => ({ name, summary: name }));
    expect(goalsForStep('boot', goals).map((g) => g.name)).toEqual(['iommu', 'vfio-early']);
    expect(goalsForStep('vm', goals).map((g) => g.name)).toEqual(['vm-create', 'hook-install']);
    expect(goalsForStep('looking-glass', goals).map((g) => g.name)).toEqual(['lg-host']);
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
  it('takes the last handoff, flags failures and rollbacks, scales bars to the longest step', () => {
    const ev = (phase: string, step: string, status: string, durationMs: number | null) => ({ ts: '', vm: 'w', phase, step, status, durationMs, message: '' });
    const log = [ev('prepare', 'old', 'done', 5), ev('release', 'old', 'done', 5), ev('prepare', 'stop-dm', 'done', 1000), ev('prepare', 'bind-vfio', 'failed', 250), ev('rollback', 'start-dm', 'done', 500)];
    const t = lastHandoff(log);
    expect(t.rows.map((r) => r.step)).toEqual(['stop-dm', 'bind-vfio', 'start-dm']);
    expect(t.failed).toBe(true);
    expect(t.rows.map((r) => r.rollback)).toEqual([false, false, true]);
    expect(t.rows.map((r) => r.share)).toEqual([1, 0.25, 0.5]);
    expect(t.totalMs).toBe(1750);
    expect(formatMs(1750)).toBe('1.8 s');
    expect(formatMs(null)).toBe('—');
  });
});

describe('event stream parsing', () => {
  it('splits complete messages and keeps the unfinished tail', () => {
    const { messages, rest } = parseSse(': hi\n\nevent: vm.state\ndata: {"a":1}\n\nevent: plan.progress\ndata: {"b"');
    expect(messages).toEqual([{ event: 'vm.state', data: '{"a":1}' }]);
    expect(rest).toBe('event: plan.progress\ndata: {"b"');
  });
});
