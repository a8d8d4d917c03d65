// The hugepages goal plans on real fixture hosts: page counts, refusals, removal and idempotence.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadHost } from '../../../electron/host/load';
import type { HostModel } from '../../../shared/host/model';
import { HUGEPAGES_CONF, HugepagesInputError, planHugepages } from '../../../shared/vm/hugepages';
import { hugepagesGoal } from '../../../shared/vm/hugepages-goal';
import { appliedModel } from '../../lib/applied-model';

const fixture = (name: string) => path.resolve(__dirname, '../../fixtures/hosts', `${name}.host.json`);

async function host(name: string): Promise<HostModel> {
  const loaded = await loadHost({ host: fixture(name) });
  await loaded.cleanup();
  return loaded.model;
}

const applied = appliedModel;

const plan = (model: HostModel, options: unknown) => hugepagesGoal.plan(model, hugepagesGoal.options.parse(options));

describe('hugepages goal', () => {
  it('turns --vm-memory-mib into 2 MiB pages, one sysctl.d file and sysctl -p on it', async () => {
    const model = await host('amd-navi21-desktop');
    const p = plan(model, { vmMemoryMib: '8192' });
    expect(p.goal).toBe('hugepages');
    expect(p.reboot).toBeNull();
    expect(p.steps).toHaveLength(2);
    const [file, run] = p.steps;
    expect(file).toMatchObject({ kind: 'write-file', path: HUGEPAGES_CONF, owner: 'root', group: 'root', mode: 0o644, before: null });
    expect(file?.kind === 'write-file' && file.content.split('\n')).toEqual([
      '# Written by GPU Ferry: huge pages reserved for VM memory (8192 MiB in 2 MiB pages).',
      'vm.nr_hugepages = 4096',
      '',
    ]);
    expect(run).toMatchObject({ kind: 'run', argv: ['sysctl', '-p', HUGEPAGES_CONF] });
    expect(p.warnings.join(' ')).toMatch(/fragmented.*reboot/);
  });

  it('rounds a size up to whole pages and takes --pages as given', async () => {
    const model = await host('amd-navi21-desktop');
    const up = plan(model, { vmMemoryMib: 4097 }).steps[0];
    expect(up?.kind === 'write-file' && up.content).toContain('vm.nr_hugepages = 2049\n');
    const exact = plan(model, { pages: 100 }).steps[0];
    expect(exact?.kind === 'write-file' && exact.content).toContain('vm.nr_hugepages = 100\n');
  });

  it('refuses more than 75% of MemTotal, naming the limit', async () => {
    const model = await host('amd-navi21-desktop'); // MemTotal 32768000 KiB = 32000 MiB → limit 24000 MiB
    expect(() => plan(model, { vmMemoryMib: 24000 })).not.toThrow();
    expect(() => plan(model, { vmMemoryMib: 24002 })).toThrow(HugepagesInputError);
    expect(() => plan(model, { vmMemoryMib: 24002 })).toThrow(/12001 pages of 2 MiB \(24002 MiB\) exceed 75% of this host's 32000 MiB of RAM \(at most 24000 MiB\)/);
  });

  it('refuses clearly when the host model has no memory information', async () => {
    const model = { ...(await host('distro-debian')), memory: {} };
    expect(() => plan(model, { pages: 10 })).toThrow(/no memory information \(MemTotal and Hugepagesize/);
    expect(hugepagesGoal.examples(model)).toEqual([]);
  });

  it('validates options: exactly one of the three, whole positive numbers', () => {
    for (const bad of [{}, { pages: 2, vmMemoryMib: 4 }, { pages: 2, remove: true }, { pages: 0 }, { pages: '1.5' }, { pages: 'x' }, { pages: 10_000_000 }, { nr: 1 }]) {
      expect(hugepagesGoal.options.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
    expect(hugepagesGoal.options.safeParse({ remove: true }).success).toBe(true);
  });

  it('is idempotent: planning again after applying gives an empty plan', async () => {
    const model = await host('amd-navi21-desktop');
    const first = plan(model, { vmMemoryMib: 8192 });
    expect(plan(applied(model, first), { vmMemoryMib: 8192 }).steps).toEqual([]);
  });

  it('edits our existing file for a new size, and --remove removes exactly what is there', async () => {
    const model = await host('amd-navi21-desktop');
    const once = applied(model, plan(model, { pages: 512 }));
    const resized = plan(once, { pages: 1024 });
    expect(resized.steps[0]).toMatchObject({ kind: 'edit-file', path: HUGEPAGES_CONF, before: once.files[HUGEPAGES_CONF] });
    const removal = plan(once, { remove: true });
    expect(removal.steps).toEqual([
      { kind: 'remove-file', path: HUGEPAGES_CONF, before: once.files[HUGEPAGES_CONF], reason: expect.any(String) },
    ]);
    expect(plan(applied(once, removal), { remove: true }).steps).toEqual([]);
  });

  it('plans pure: the planner does not change the host model', async () => {
    const model = await host('amd-navi21-desktop');
    const copy = structuredClone(model);
    planHugepages(model, { pages: 64 });
    expect(model).toEqual(copy);
  });
});
