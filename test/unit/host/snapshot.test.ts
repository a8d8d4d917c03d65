// A snapshot holds exactly what a scan reads: replaying it gives the same host model.
import { readFile } from 'node:fs/promises';
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { materializeHostSpec, materializeSnapshot } from '../../../electron/host/materialize';
import { scanHost } from '../../../electron/host/scan';
import { takeSnapshot } from '../../../electron/host/snapshot';
import type { HostModel } from '../../../shared/host/model';
import { fixturesDir } from './cli-helpers';

const withoutRoot = (m: HostModel) => ({ ...m, root: '' });

describe('snapshot round trip', () => {
  const names = readdirSync(fixturesDir).filter((f) => f.endsWith('.host.json'));
  it.each(names)('%s: scan(materializeSnapshot(snapshot(root))) equals scan(root)', async (name) => {
    const spec = await materializeHostSpec(JSON.parse(await readFile(`${fixturesDir}/${name}`, 'utf8')));
    try {
      const original = await scanHost(spec.root);
      const snap = takeSnapshot(spec.root);
      expect(snap.format).toBe('gpu-ferry-snapshot/1');
      // Nothing outside what the scanner reads; the big pci.ids is never captured.
      expect(Object.keys(snap.files).some((p) => p.endsWith('pci.ids'))).toBe(false);
      const replay = await materializeSnapshot(JSON.parse(JSON.stringify(snap)));
      try {
        expect(withoutRoot(await scanHost(replay.root))).toEqual(withoutRoot(original));
      } finally {
        await replay.cleanup();
      }
    } finally {
      await spec.cleanup();
    }
  });

  it('captures this machine so that a replay gives the same devices, kernel and configuration', async () => {
    const snap = takeSnapshot('/');
    const replay = await materializeSnapshot(snap);
    try {
      const live = await scanHost('/');
      const again = await scanHost(replay.root);
      // /proc/meminfo changes from second to second; everything else must match.
      const stable = (m: HostModel) => ({ ...m, root: '', memory: Object.keys(m.memory).sort() });
      expect(stable(again)).toEqual(stable(live));
    } finally {
      await replay.cleanup();
    }
  });
});
