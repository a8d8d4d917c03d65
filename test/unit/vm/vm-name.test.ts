import { describe, expect, it } from 'vitest';
import { checkVmName, requireVmName, vmFileStem } from '../../../shared/vm/vm-name';

describe('checkVmName', () => {
  it.each(['win11', 'Windows 11 Gaming', `Alex's "main" VM`, 'Jeux vidéo', 'ゲーム', 'win-11_v2.0', '-starts-with-dash', '7days'])(
    'accepts %s',
    (name) => expect(checkVmName(name)).toEqual({ ok: true }),
  );

  it.each([
    ['', /empty/],
    ['games/win', /"\/"/],
    ['line\nbreak', /control/],
    ['tab\there', /control/],
    ['nul\0', /control/],
    ['.', /cannot be a VM name/],
    ['..', /cannot be a VM name/],
    [' padded', /space/],
    ['42', /domain id/],
    ['5f3b0a1e-7c2d-4b8e-9a61-2d4c8e0f1a23', /UUID/],
    ['x'.repeat(65), /64/],
  ])('refuses %j', (name, reason) => {
    const check = checkVmName(name);
    expect(check.ok).toBe(false);
    if (!check.ok) expect(check.reason).toMatch(reason);
    expect(() => requireVmName(name)).toThrow(reason);
  });

  it('counts characters, not UTF-16 units, for the length limit', () => {
    expect(checkVmName('😀'.repeat(64))).toEqual({ ok: true });
  });

  it('makes distinct, file-safe stems', () => {
    expect(vmFileStem('win11')).toBe('win11');
    expect(vmFileStem(`a b'c`)).toBe('a%20b%27c');
    expect(vmFileStem('vidéo')).toBe('vid%C3%A9o');
    expect(vmFileStem('a b')).not.toBe(vmFileStem('a_b'));
    expect(decodeURIComponent(vmFileStem(`Alex's "main" ゲーム`))).toBe(`Alex's "main" ゲーム`);
  });
});
