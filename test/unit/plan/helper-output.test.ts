import { describe, expect, it } from 'vitest';
import { journalCreatedAt, parseHelperLine } from '../../../shared/plan/helper-output';
import { progressText } from '../../../shared/plan/progress-text';

const line = (value: unknown): string => JSON.stringify(value);

describe('privileged program output lines', () => {
  it('parses each kind of event', () => {
    const events = [
      { type: 'result', step: 2, status: 'not-executed', kind: 'run', detail: '/usr/bin/grub-mkconfig -o /boot/grub/grub.cfg' },
      { type: 'progress', step: 3, text: 'Generating grub configuration file ...' },
      { type: 'error', code: 'path-not-allowed', step: 0, message: '/etc/shadow is not ours' },
      { type: 'error', code: 'busy', step: null, message: 'another run' },
      { type: 'entry', id: '20260102T030405Z-9', state: 'applied', goal: 'iommu', title: 'Turn on ✓', files: 2, paths: ['/etc/default/grub', '/etc/gpu-ferry/x'] },
      { type: 'journal', id: '20260102T030405Z-9' },
      { type: 'planned', steps: 2, fingerprint: 'a'.repeat(64) },
      { type: 'done', steps: 4 },
      { type: 'pending', step: 1, command: 'grubby --update-kernel=ALL --remove-args=iommu=pt' },
    ];
    for (const e of events) expect(parseHelperLine(line(e))).toEqual(e);
  });

  it('words what undo did, would do, and what is left to run', () => {
    const say = (value: unknown) => progressText(parseHelperLine(line(value)));
    expect(say({ type: 'result', step: 2, status: 'ok', kind: 'rerun', detail: '/usr/sbin/update-grub' })).toBe('Ran /usr/sbin/update-grub again now that the files are back');
    expect(say({ type: 'result', step: 2, status: 'not-executed', kind: 'rerun', detail: 'update-grub (not installed here)' })).toBe(
      'Would run update-grub (not installed here) again now that the files are back (not run on a simulated machine)',
    );
    expect(say({ type: 'result', step: 1, status: 'ok', kind: 'inverse', detail: '/usr/bin/kernelstub -d iommu=pt' })).toBe('Undid step 2 with /usr/bin/kernelstub -d iommu=pt');
    expect(say({ type: 'pending', step: 1, command: 'kernelstub -d iommu=pt' })).toBe('Undoing step 2 failed: run `kernelstub -d iommu=pt` as root to finish');
  });

  it('keeps anything unexpected as other', () => {
    expect(parseHelperLine('result x ok')).toEqual({ type: 'other', text: 'result x ok' });
    expect(parseHelperLine(line({ type: 'result', step: 'x' }))).toMatchObject({ type: 'other' });
    expect(parseHelperLine(line({ type: 'journal', id: '../../etc' }))).toMatchObject({ type: 'other' });
  });

  it('reads the creation time from a journal id', () => {
    expect(journalCreatedAt('20260102T030405Z-9')).toBe('2026-01-02T03:04:05Z');
    expect(journalCreatedAt('bogus')).toBe('');
  });
});
