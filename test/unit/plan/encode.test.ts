import { describe, expect, it } from 'vitest';
import { encodePlan, formatMode, fromBase64, toBase64 } from '../../../shared/plan/encode';

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

  it('formats modes as four octal digits', () => {
    expect(formatMode(0o644)).toBe('0644');
    expect(formatMode(0o4755)).toBe('4755');
  });
});
