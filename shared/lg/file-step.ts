// Turns "this file should contain X" into the one plan step that gets it there (or none).
import type { HostModel } from '../host/model';
import type { Step } from '../plan/model';

/** A new root-owned file, an edit of the existing one, or null when it already has this content. */
export function fileStep(host: HostModel, path: string, content: string, reason: string, mode = 0o644): Step | null {
  const current = host.files[path];
  if (current === content) return null;
  if (current === undefined) return { kind: 'write-file', path, content, mode, owner: 'root', group: 'root', reason };
  return { kind: 'edit-file', path, before: current, after: content, reason };
}
