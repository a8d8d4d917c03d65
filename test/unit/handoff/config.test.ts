import { describe, expect, it } from 'vitest';
import { handoffConfigPath, parseHandoffConfig, renderHandoffConfig, type HandoffConfig } from '../../../shared/handoff/config';

const base: HandoffConfig = {
  vm: 'Win 11 "Jeux vidéo"', mode: 'single-gpu', devices: ['0000:01:00.0', '0000:01:00.1'], modules: ['nvidia_uvm', 'nvidia_drm', 'nvidia_modeset', 'nvidia'],
  displayManager: 'gdm.service', session: 'terminate', holders: 'refuse', timeoutStopSeconds: 20, timeoutDeviceSeconds: 10,
};

describe('handoff config', () => {
  it('renders and parses back to the same config', () => {
    const text = renderHandoffConfig(base);
    expect(text).toContain('DEVICES=0000:01:00.0 0000:01:00.1\n');
    expect(parseHandoffConfig(text)).toEqual({ ok: true, config: base });
    const dual = { ...base, mode: 'dual-gpu' as const, modules: [], displayManager: null };
    expect(parseHandoffConfig(renderHandoffConfig(dual))).toEqual({ ok: true, config: dual });
  });

  it('maps VM names to safe file names', () => {
    expect(handoffConfigPath('Win 11 "é"')).toBe('/etc/gpu-ferry/vms/Win%2011%20%22%C3%A9%22.conf');
    expect(handoffConfigPath('a$(b)`c`;d')).toBe('/etc/gpu-ferry/vms/a%24%28b%29%60c%60%3Bd.conf');
  });

  it('refuses to render bad values with a specific reason', () => {
    expect(() => renderHandoffConfig({ ...base, vm: 'a/b' })).toThrow(/"\/"/);
    expect(() => renderHandoffConfig({ ...base, vm: 'a\nMODE=dual-gpu' })).toThrow(/control characters/);
    expect(() => renderHandoffConfig({ ...base, devices: ['01:00.0'] })).toThrow(/not a PCI address/);
    expect(() => renderHandoffConfig({ ...base, devices: [] })).toThrow(/At least one/);
    expect(() => renderHandoffConfig({ ...base, modules: ['nvidia; rm -rf /'] })).toThrow(/not a module name/);
    expect(() => renderHandoffConfig({ ...base, displayManager: 'gdm' })).toThrow(/\.service/);
    expect(() => renderHandoffConfig({ ...base, timeoutStopSeconds: 0 })).toThrow(/whole seconds/);
    // 41 × "é" is a valid libvirt name but encodes to 246 characters: the runtime would never find that config.
    expect(() => renderHandoffConfig({ ...base, vm: 'é'.repeat(41) })).toThrow(/too long for a handoff config file name \(246 of at most 240/);
    expect(renderHandoffConfig({ ...base, vm: 'é'.repeat(40) })).toContain(`VM=${'é'.repeat(40)}\n`);
  });

  it('parses strictly: unknown or duplicate keys, shell syntax, bad formats are errors', () => {
    const text = renderHandoffConfig(base);
    expect(parseHandoffConfig(text + 'EXTRA=1\n')).toEqual({ ok: false, error: 'line 13: unknown key EXTRA' });
    expect(parseHandoffConfig(text + 'MODE=dual-gpu\n')).toMatchObject({ ok: false, error: 'line 13: duplicate key MODE' });
    expect(parseHandoffConfig(text.replace('DEVICES=0000:01:00.0', 'DEVICES=$(touch /tmp/x)'))).toMatchObject({ ok: false });
    expect(parseHandoffConfig(text.replace('MODE=single-gpu', 'export MODE=single-gpu'))).toMatchObject({ ok: false, error: 'line 5: expected KEY=VALUE' });
    expect(parseHandoffConfig(text.replace('gpu-ferry-handoff/1', 'gpu-ferry-handoff/2'))).toMatchObject({ ok: false, error: 'FORMAT must be gpu-ferry-handoff/1' });
    expect(parseHandoffConfig(text.replace('0000:01:00.0 0000', '0000:01:00.0  0000'))).toMatchObject({ ok: false, error: 'DEVICES must be separated by one space' });
  });
});
