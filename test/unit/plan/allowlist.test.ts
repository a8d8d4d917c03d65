import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { allowlistVerdict, isFileAllowed, parseAllowlist } from '../../../shared/plan/allowlist';
import { goalList } from '../../../shared/plan/goals.registry';
import { loadHost } from '../../../electron/host/load';

const list = parseAllowlist(readFileSync(path.resolve(__dirname, '../../../resources/helper/allowlist.conf'), 'utf8'));
/** `same` rules name reference copies relative to resources/ (the helper's source-tree layout). */
const reference = (name: string): string => readFileSync(path.resolve(__dirname, '../../../resources', name), 'utf8');

describe('allowlist.conf read in TypeScript', () => {
  it('allows the files the app manages and nothing else', () => {
    for (const ok of ['/etc/modprobe.d/gpu-ferry-vfio.conf', '/etc/default/grub', '/boot/efi/loader/entries/arch.conf', '/etc/gpu-ferry/vms/a/b.conf', '/etc/udev/rules.d/99-gpu-ferry-kvmfr.rules']) {
      expect(isFileAllowed(list, ok), ok).toBe(true);
    }
    for (const bad of ['/etc/shadow', '/etc/modprobe.d/nvidia.conf', '/etc/modprobe.d/gpu-ferry/x.conf', '/etc/gpu-ferry', '/boot/loader/entries/x/y.conf', '/usr/libexec/gpu-ferry/allowlist.conf', '/usr/libexec/gpu-ferry/gpu-ferry-helper']) {
      expect(isFileAllowed(list, bad), bad).toBe(false);
    }
  });

  it('checks programs and their arguments', () => {
    const run = (...argv: string[]) => allowlistVerdict(list, { kind: 'run', argv, reason: 'r' });
    expect(run('grub-mkconfig', '-o', '/boot/grub/grub.cfg')).toBeNull();
    expect(run('grub-mkconfig', '-o', '/etc/shadow')).toBe('arguments-not-allowed');
    expect(run('sh', '-c', 'id')).toBe('program-not-allowed');
    expect(run('dracut', '--kver', '$(id)')).toBe('bad-argument');
    expect(run('update-grub')).toBeNull();
    expect(run('update-grub', 'x')).toBe('arguments-not-allowed');
  });

  it('checks an inverse command exactly like the command it undoes', () => {
    const undo = (...argv: string[]) => allowlistVerdict(list, { kind: 'run', argv: ['kernelstub', '-a', 'iommu=pt'], undo: { argv }, reason: 'r' });
    expect(undo('kernelstub', '-d', 'iommu=pt')).toBeNull();
    expect(undo('sh', '-c', 'id')).toBe('program-not-allowed');
    expect(undo('kernelstub', '-a', 'init=/bin/sh')).toBe('arguments-not-allowed');
    expect(allowlistVerdict(list, { kind: 'run', argv: ['mkinitcpio', '-P'], undo: 'rerun', reason: 'r' })).toBeNull();
  });

  it('rejects an unknown entry kind', () => {
    expect(() => parseAllowlist('exec /bin/sh\n')).toThrow(/line 1: unknown entry 'exec'/);
  });

  it('every step every goal plans on every fixture host passes the allowlist', async () => {
    const dir = path.resolve(__dirname, '../../fixtures/hosts');
    const { readdirSync } = await import('node:fs');
    let checked = 0;
    const undos = new Set<string>(); // how run steps are undone: 'rerun' or the inverse's program
    for (const fixture of readdirSync(dir).filter((f) => f.endsWith('.host.json'))) {
      const loaded = await loadHost({ host: path.join(dir, fixture) });
      try {
        for (const goal of goalList) {
          for (const options of goal.examples(loaded.model)) {
            for (const step of goal.plan(loaded.model, goal.options.parse(options)).steps) {
              expect(allowlistVerdict(list, step, reference), `${fixture} ${goal.name} ${JSON.stringify(step).slice(0, 200)}`).toBeNull();
              checked++;
              if (step.kind === 'run' && step.undo !== undefined) undos.add(step.undo === 'rerun' ? 'rerun' : `${step.undo.argv.slice(0, 2).join(' ')}`);
            }
          }
        }
      } finally {
        await loaded.cleanup();
      }
    }
    expect(checked).toBeGreaterThan(0);
    // The inverse commands are allowed too (checked above); every kind of them is among the probes.
    expect([...undos].sort()).toEqual(expect.arrayContaining(['grubby --update-kernel=ALL', 'kernelstub -d', 'rerun', 'rpm-ostree kargs', 'sysctl -w']));
  });
});
