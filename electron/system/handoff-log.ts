// Reads the handoff runtime's JSON-lines log of one VM (/var/log/gpu-ferry/<vm>.jsonl) for the timeline
// (IPC `handoff.log`, `gpu-ferry rescue`). A missing log is an empty list, not an error.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { HANDOFF_LOG_DIR } from '../../shared/handoff/installed-paths';
import { parseHandoffLog, type ParsedLog } from '../../shared/handoff/timeline';
import { vmFileStem } from '../../shared/vm/vm-name';

export const handoffLogPath = (vm: string, root = '/'): string => path.join(root, HANDOFF_LOG_DIR, `${vmFileStem(vm)}.jsonl`);

export async function readHandoffLog(vm: string, root = '/'): Promise<ParsedLog> {
  try {
    return parseHandoffLog(await readFile(handoffLogPath(vm, root), 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { events: [], badLines: [] };
    throw error;
  }
}
