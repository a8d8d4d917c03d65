import { describe, expect, it } from 'vitest';
import { encodePlan, formatMode, fromBase64, stepFields, toBase64, WIRE_FIELDS } from '../../../shared/plan/encode';
import type { Step } from '../../../shared/plan/model';

describe('plan wire encoding', () => {
  it('base64 carries UTF-8 exactly', () => {
    for (const s of ['', 'a', 'ünïcödé ✓ 🚀', 'a\nb\r\n\t', '"quoted" $(x) `y`']) expect(fromBase64(toBase64(s))).toBe(s);
    expect(toBase64('✓')).toBe('4pyT');
  });

  it('writes header, fields in order, and an end line with the step count', () => {
    const text = encodePlan({
      goal: 'g',
      title: 't',
      steps: [
        { kind: 'unit', action: 'stop', unit: 'sddm.service', reason: 'r' },
        { kind: 'write-file', path: '/etc/gpu-ferry/x', content: 'c', mode: 0o600, owner: 'root', group: 'root', before: null, reason: 'r' },
      ],
    });
    const lines = text.split('\n');
    expect(lines.slice(0, 4)).toEqual(['gpu-ferry-plan 1', 'goal Zw==', 'title dA==', 'step unit']);
    expect(lines.filter((l) => !l.startsWith('step') && l !== '').map((l) => l.split(' ')[0])).toEqual([
      'gpu-ferry-plan', 'goal', 'title', 'action', 'unit', 'reason', 'path', 'content', 'mode', 'owner', 'group', 'before-absent', 'reason', 'end',
    ]);
    expect(text.endsWith('end 2\n')).toBe(true);
    expect(text).toMatch(/^[\x20-\x7e\n]*$/);
  });

  it("encodes a run step's undo: 'rerun', an inverse argv, or nothing (old plans stay the same)", () => {
    const fieldsOf = (step: Step) => stepFields(step).map(([name, value]) => `${name}=${value}`);
    const argv = ['grubby', '--update-kernel=ALL', '--args=iommu=pt'];
    expect(fieldsOf({ kind: 'run', argv, reason: 'r' })).toEqual(['arg=grubby', 'arg=--update-kernel=ALL', 'arg=--args=iommu=pt', 'reason=r']);
    expect(fieldsOf({ kind: 'run', argv: ['update-grub'], undo: 'rerun', reason: 'r' })).toEqual(['arg=update-grub', 'undo=rerun', 'reason=r']);
    expect(fieldsOf({ kind: 'run', argv, undo: { argv: ['grubby', '--update-kernel=ALL', '--remove-args=iommu=pt'] }, reason: 'r' })).toEqual([
      'arg=grubby', 'arg=--update-kernel=ALL', 'arg=--args=iommu=pt', 'undo-arg=grubby', 'undo-arg=--update-kernel=ALL', 'undo-arg=--remove-args=iommu=pt', 'reason=r',
    ]);
    expect(WIRE_FIELDS.run).toEqual(['arg+', 'undo?', 'undo-arg*', 'reason']);
  });

  it('formats modes as four octal digits', () => {
    expect(formatMode(0o644)).toBe('0644');
    expect(formatMode(0o4755)).toBe('4755');
  });
});
