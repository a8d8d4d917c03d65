import { describe, expect, it } from 'vitest';
import { toBase64 } from '../../../shared/plan/encode';
import { journalCreatedAt, parseHelperLine } from '../../../shared/plan/helper-output';
import { progressText } from '../../../shared/plan/progress-text';

describe('helper output lines', () => {
  it('parses each kind of line', () => {
    expect(parseHelperLine('result 2 not-executed run /usr/bin/grub-mkconfig -o /boot/grub/grub.cfg')).toEqual({
      type: 'result', step: 2, status: 'not-executed', kind: 'run', detail: '/usr/bin/grub-mkconfig -o /boot/grub/grub.cfg',
    });
    expect(parseHelperLine('progress 3 Generating grub configuration file ...')).toEqual({ type: 'progress', step: 3, text: 'Generating grub configuration file ...' });
    expect(parseHelperLine('error path-not-allowed 0 /etc/shadow is not ours')).toEqual({ type: 'error', code: 'path-not-allowed', step: 0, message: '/etc/shadow is not ours' });
    expect(parseHelperLine('error busy - another helper')).toEqual({ type: 'error', code: 'busy', step: null, message: 'another helper' });
    expect(parseHelperLine(`entry 20260102T030405Z-9 applied ${toBase64('iommu')} ${toBase64('Turn on ✓')} 2 /etc/default/grub /etc/gpu-ferry/x`)).toEqual({
      type: 'entry', id: '20260102T030405Z-9', state: 'applied', goal: 'iommu', title: 'Turn on ✓', files: 2, paths: ['/etc/default/grub', '/etc/gpu-ferry/x'],
    });
    expect(parseHelperLine(`entry 20260102T030405Z-9 undone ${toBase64('g')} ${toBase64('t')} 0 `)).toMatchObject({ type: 'entry', files: 0, paths: [] });
    expect(parseHelperLine('journal 20260102T030405Z-9')).toEqual({ type: 'journal', id: '20260102T030405Z-9' });
    expect(parseHelperLine('done 4')).toEqual({ type: 'done', steps: 4 });
    expect(parseHelperLine('pending 1 grubby --update-kernel=ALL --remove-args=iommu=pt')).toEqual({ type: 'pending', step: 1, command: 'grubby --update-kernel=ALL --remove-args=iommu=pt' });
  });

  it('words what undo did, would do, and what is left to run', () => {
    const say = (line: string) => progressText(parseHelperLine(line));
    expect(say('result 2 ok rerun /usr/sbin/update-grub')).toBe('Ran /usr/sbin/update-grub again now that the files are back');
    expect(say('result 2 not-executed rerun update-grub (not installed here)')).toBe('Would run update-grub (not installed here) again now that the files are back (not run on a simulated machine)');
    expect(say('result 1 ok inverse /usr/bin/kernelstub -d iommu=pt')).toBe('Undid step 2 with /usr/bin/kernelstub -d iommu=pt');
    expect(say('pending 1 kernelstub -d iommu=pt')).toBe('Undoing step 2 failed: run `kernelstub -d iommu=pt` as root to finish');
  });

  it('keeps anything unexpected as other', () => {
    expect(parseHelperLine('result x ok')).toEqual({ type: 'other', text: 'result x ok' });
    expect(parseHelperLine('entry a b !!! ### 1')).toEqual({ type: 'other', text: 'entry a b !!! ### 1' });
  });

  it('reads the creation time from a journal id', () => {
    expect(journalCreatedAt('20260102T030405Z-9')).toBe('2026-01-02T03:04:05Z');
    expect(journalCreatedAt('bogus')).toBe('');
  });
});
