// `gpu-ferry snapshot`: the raw `gpu-ferry-snapshot/1` form holding exactly the paths a scan reads,
// so a machine can be replayed with `--host`. pci.ids is left out (it is large and the same
// everywhere); the replaying machine's copy names the devices.
import path from 'node:path';
import type { HostSnapshot } from './spec-schema';
import { HostReader } from './reader';
import { scanWith } from './scan';

export function takeSnapshot(root = '/', now: Date = new Date()): HostSnapshot {
  const reader = new HostReader(path.resolve(root), { record: true });
  scanWith(reader);
  const rec = reader.recorded();
  const sortKeys = (o: Record<string, string>) =>
    Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));
  return {
    format: 'gpu-ferry-snapshot/1',
    takenAt: now.toISOString(),
    files: sortKeys(rec.files),
    symlinks: sortKeys(rec.symlinks),
    dirs: rec.dirs,
    ...(rec.private.length > 0 ? { private: rec.private } : {}),
  };
}
