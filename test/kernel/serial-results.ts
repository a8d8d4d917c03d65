// Parses the kernel test's serial console output (see guest-init.sh for the line formats).
import { parseHandoffLog, type LoggedEvent } from '../../shared/handoff/timeline';

export interface GuestRun {
  begin: string | null;
  results: { name: string; pass: boolean; detail: string }[];
  /** Per hook call: wall time seen by /init, and the runtime's own wait (waitMs of its closing event). */
  times: { cycle: number; phase: string; wallUs: number; waitMs: number }[];
  events: LoggedEvent[];
  badLogLines: number;
  info: string[];
  end: string | null;
}

export function parseSerial(output: string): GuestRun {
  const run: GuestRun = { begin: null, results: [], times: [], events: [], badLogLines: 0, info: [], end: null };
  const log: string[] = [];
  for (const raw of output.split('\n')) {
    const line = raw.replace(/\r$/, '');
    // Firmware escape sequences can precede the first line on the same serial line.
    const at = line.indexOf('GFT-');
    const m = at < 0 ? null : /^(GFT-[A-Z]+)(?: (.*))?$/.exec(line.slice(at));
    if (!m) continue;
    const [, tag, rest = ''] = m;
    if (tag === 'GFT-BEGIN') run.begin = rest;
    else if (tag === 'GFT-END') run.end = rest;
    else if (tag === 'GFT-INFO') run.info.push(rest);
    else if (tag === 'GFT-LOG') log.push(rest);
    else if (tag === 'GFT-RESULT') {
      const r = /^(\S+) (pass|fail) ?(.*)$/.exec(rest);
      if (r) run.results.push({ name: r[1] as string, pass: r[2] === 'pass', detail: r[3] ?? '' });
    } else if (tag === 'GFT-TIME') {
      const t = /^(\d+) (\w+) (\d+) (\d+)$/.exec(rest);
      if (t) run.times.push({ cycle: Number(t[1]), phase: t[2] as string, wallUs: Number(t[3]), waitMs: Number(t[4]) });
    }
  }
  const parsed = parseHandoffLog(log.join('\n'));
  run.events = parsed.events;
  run.badLogLines = parsed.badLines.length;
  return run;
}
