// Reading what the helper prints: one machine-readable line per event (see the header of
// resources/helper/gpu-ferry-helper). Pure, so the CLI, the services and the tests share it.
import { fromBase64 } from './encode';

export type HelperLine =
  | { type: 'journal'; id: string }
  | { type: 'result'; step: number; status: 'ok' | 'not-executed'; kind: string; detail: string }
  | { type: 'progress'; step: number; text: string }
  /** A command undoing a step's effect failed: the person has to run it (as typed here) themselves. */
  | { type: 'pending'; step: number; command: string }
  | { type: 'error'; code: string; step: number | null; message: string }
  | { type: 'entry'; id: string; state: string; goal: string; title: string; files: number; paths: string[] }
  | { type: 'recovered'; id: string; state: string }
  | { type: 'done'; steps: number }
  | { type: 'undone'; id: string }
  | { type: 'ok'; steps: number }
  | { type: 'other'; text: string };

const stepNo = (text: string): number | null => (/^\d+$/.test(text) ? Number(text) : null);

export function parseHelperLine(line: string): HelperLine {
  const words = line.split(' ');
  const [word, a = '', b = '', c = ''] = words;
  const restFrom = (n: number): string => words.slice(n).join(' ');
  switch (word) {
    case 'journal':
      if (words.length === 2) return { type: 'journal', id: a };
      break;
    case 'result': {
      const step = stepNo(a);
      if (step !== null && (b === 'ok' || b === 'not-executed')) {
        return { type: 'result', step, status: b, kind: c, detail: restFrom(4) };
      }
      break;
    }
    case 'progress': {
      const step = stepNo(a);
      if (step !== null) return { type: 'progress', step, text: restFrom(2) };
      break;
    }
    case 'pending': {
      const step = stepNo(a);
      if (step !== null && words.length >= 3) return { type: 'pending', step, command: restFrom(2) };
      break;
    }
    case 'error':
      if (words.length >= 3) return { type: 'error', code: a, step: stepNo(b), message: restFrom(3) };
      break;
    case 'entry':
      if (words.length >= 6 && stepNo(words[5] ?? '') !== null) {
        try {
          const paths = words.slice(6).filter((w) => w !== '');
          return { type: 'entry', id: a, state: b, goal: fromBase64(c), title: fromBase64(words[4] ?? ''), files: Number(words[5]), paths };
        } catch {
          break;
        }
      }
      break;
    case 'recovered':
      if (words.length === 3) return { type: 'recovered', id: a, state: b };
      break;
    case 'done':
    case 'ok':
      if (words.length === 2 && stepNo(a) !== null) return { type: word, steps: Number(a) };
      break;
    case 'undone':
      if (words.length === 2) return { type: 'undone', id: a };
      break;
  }
  return { type: 'other', text: line };
}

/** Journal ids start with their UTC creation time: 20260102T030405Z-1234 → 2026-01-02T03:04:05Z. */
export function journalCreatedAt(id: string): string {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z-/.exec(id);
  return m ? `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z` : '';
}
