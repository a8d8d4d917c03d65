// A request is good once: its nonce is recorded (under the journal lock) before anything changes, and a
// nonce seen before is refused. Nonces older than the request lifetime are forgotten: such a request is
// refused as stale anyway (request.ts).
import { existsSync, readFileSync } from 'node:fs';
import { reject } from './output';
import { writeDurable } from './journal';
import { REQUEST_MAX_AGE_MS, REQUEST_MAX_SKEW_MS } from './request';

export function spendNonce(journal: string, nonce: string, now: number): void {
  const file = `${journal}/.requests`;
  const kept: string[] = [];
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
  for (const line of text.split('\n')) {
    const m = /^([0-9a-f-]{36}) (\d+)$/.exec(line);
    if (!m) continue;
    if (m[1] === nonce) throw reject('replayed-request', null, 'this request was already used; review the plan again');
    if (now - Number(m[2]) <= REQUEST_MAX_AGE_MS + REQUEST_MAX_SKEW_MS) kept.push(line);
  }
  kept.push(`${nonce} ${now}`);
  writeDurable(file, kept.join('\n') + '\n', 0o600);
}
