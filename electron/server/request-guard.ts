// Who may talk to the loopback server: only pages this server served, on the loopback address it is
// bound to, carrying the random token. Host and Origin checks stop DNS-rebinding pages (evil.example
// resolving to 127.0.0.1) from reading or calling the API; the token stops other local web pages.
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const TOKEN_HEADER = 'x-gpu-ferry-token';

export const allowedHosts = (port: number): Set<string> => new Set([`127.0.0.1:${port}`, `localhost:${port}`]);

export const hostAllowed = (req: IncomingMessage, port: number): boolean => allowedHosts(port).has(req.headers.host ?? '');

/** An Origin header, when present, must be this server itself. */
export const originAllowed = (req: IncomingMessage, port: number): boolean => {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  return [...allowedHosts(port)].some((h) => origin === `http://${h}`);
};

export const tokenMatches = (req: IncomingMessage, token: string): boolean => {
  const given = req.headers[TOKEN_HEADER];
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
};
