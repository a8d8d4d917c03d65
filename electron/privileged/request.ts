// The one thing a caller sends root for `apply`: a goal, its options and the fingerprint of the plan the
// person reviewed, plus a one-time nonce and the time it was made. Nothing else: no file content, no
// path, no command. Read from stdin with a size limit, parsed strictly (unknown keys, bad JSON, trailing
// data refused); the options are then validated by the goal's own schema (compute.ts).
import { readSync } from 'node:fs';
import { z } from 'zod';
import { reject } from './output';

export const REQUEST_FORMAT = 'gpu-ferry-request/1';
export const MAX_REQUEST_BYTES = 64 * 1024;
/** A request older than this (or made this far in the future) is stale: the person reviews again. */
export const REQUEST_MAX_AGE_MS = 10 * 60 * 1000;
export const REQUEST_MAX_SKEW_MS = 60 * 1000;

const optionValue = z.union([z.string().max(4096), z.boolean(), z.number().finite()]);

export const applyRequestSchema = z
  .object({
    format: z.literal(REQUEST_FORMAT),
    goal: z.string().regex(/^[a-z][a-z0-9-]{0,40}$/),
    options: z.record(z.string().regex(/^[A-Za-z][A-Za-z0-9]{0,40}$/), optionValue).refine((o) => Object.keys(o).length <= 32, 'at most 32 options'),
    fingerprint: z.string().regex(/^[0-9a-f]{64}$/),
    nonce: z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/),
    issuedAt: z.number().int().min(0),
  })
  .strict();

export type ApplyRequest = z.infer<typeof applyRequestSchema>;

/** How long a non-blocking stdin may keep root waiting for the request. */
const STDIN_WAIT_MS = 30_000;

/** Reads all of stdin, refusing more than MAX_REQUEST_BYTES without reading further. */
export function readStdin(limit = MAX_REQUEST_BYTES): Buffer {
  const chunks: Buffer[] = [];
  let size = 0;
  const buffer = Buffer.alloc(16 * 1024);
  // A non-blocking stdin that never delivers must not keep root spinning: pause between tries, and give up.
  const deadline = Date.now() + STDIN_WAIT_MS;
  for (;;) {
    let n: number;
    try {
      n = readSync(0, buffer, 0, buffer.length, null);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') {
        if (Date.now() > deadline) throw reject('no-request', null, `no complete request arrived on standard input within ${STDIN_WAIT_MS / 1000} s`);
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
        continue;
      }
      if (code === 'EOF') break;
      throw error;
    }
    if (n === 0) break;
    size += n;
    if (size > limit) throw reject('too-large', null, `the request is larger than ${limit} bytes`);
    chunks.push(Buffer.from(buffer.subarray(0, n)));
  }
  return Buffer.concat(chunks);
}

export function parseApplyRequest(bytes: Buffer, now: number): ApplyRequest {
  if (bytes.length === 0) throw reject('empty-request', null, 'no request on standard input');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw reject('bad-request', null, 'the request is not UTF-8');
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw reject('bad-request', null, `the request is not JSON: ${(error as Error).message}`);
  }
  const parsed = applyRequestSchema.safeParse(value);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw reject('bad-request', null, `the request is malformed: ${first ? `${first.path.join('.') || 'request'}: ${first.message}` : 'invalid'}`);
  }
  const request = parsed.data;
  if (now - request.issuedAt > REQUEST_MAX_AGE_MS)
    throw reject('stale-request', null, 'this request was made more than 10 minutes ago; review the plan again');
  if (request.issuedAt - now > REQUEST_MAX_SKEW_MS) throw reject('stale-request', null, 'this request is dated in the future; review the plan again');
  return request;
}
