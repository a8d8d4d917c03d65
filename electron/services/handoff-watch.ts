// Follows the handoff runtime's logs (<root>/var/log/gpu-ferry/*.jsonl) and emits each new event as a
// handoff.event (the window's timeline, tray and notifications listen). Polling, not fs.watch: the
// directory may not exist yet, and the runtime appends from another process as root.
import { open, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { HANDOFF_LOG_DIR } from '../../shared/handoff/installed-paths';
import { parseHandoffLog } from '../../shared/handoff/timeline';
import type { ServiceEvents } from './context';

export interface HandoffWatcher {
  /** Reads what was appended since the last check (called by the timer; tests call it directly). */
  check(): Promise<void>;
  stop(): void;
}

const MAX_READ = 1024 * 1024;

export async function watchHandoffLogs(
  root: string,
  events: ServiceEvents,
  intervalMs = 1500,
): Promise<HandoffWatcher> {
  const dir = path.join(root, HANDOFF_LOG_DIR);
  const offsets = new Map<string, number>();
  const files = async () =>
    (await readdir(dir).catch(() => [] as string[])).filter((f) => f.endsWith('.jsonl'));

  // Start at the current end: history is what handoff.log is for.
  for (const f of await files())
    offsets.set(f, (await stat(path.join(dir, f)).catch(() => ({ size: 0 }))).size);

  const readNew = async (file: string) => {
    const full = path.join(dir, file);
    const size = (await stat(full)).size;
    let from = offsets.get(file) ?? 0;
    if (size < from) from = 0; // truncated or replaced: read it from the start
    if (size === from) return;
    const handle = await open(full, 'r');
    try {
      const length = Math.min(size - from, MAX_READ);
      const buffer = Buffer.alloc(length);
      await handle.read(buffer, 0, length, from);
      const text = buffer.toString('utf8');
      const complete = text.lastIndexOf('\n') + 1; // a line still being written waits for the next check
      offsets.set(file, from + Buffer.byteLength(text.slice(0, complete)));
      for (const e of parseHandoffLog(text.slice(0, complete)).events) {
        events.emit('handoff.event', {
          ts: e.ts,
          vm: e.vm,
          phase: e.phase,
          step: e.step,
          status: e.status,
          durationMs: e.durationMs,
          message: e.message,
        });
      }
    } finally {
      await handle.close();
    }
  };

  let busy = false;
  const check = async () => {
    if (busy) return;
    busy = true;
    try {
      for (const f of await files()) await readNew(f).catch(() => undefined);
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(() => void check(), intervalMs);
  timer.unref();
  return { check, stop: () => clearInterval(timer) };
}
