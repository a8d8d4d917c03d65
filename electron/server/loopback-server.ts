// The browser-mode server: the built renderer, one POST endpoint that runs the same dispatcher and
// handlers as Electron's IPC router, and one Server-Sent Events stream for the contract's event channels.
// Bound to 127.0.0.1 only; every API request needs the random token; Host/Origin are checked.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { changesSystem } from '../../shared/ipc/contract';
import { dispatch, isInvokeChannel, MAX_ARGS_BYTES, type Handlers } from '../services/dispatch';
import type { EventHub } from '../services/events';
import { fail } from '../../shared/ipc/result';
import { hostAllowed, originAllowed, tokenMatches } from './request-guard';
import { readStatic } from './static-files';

export interface LoopbackOptions {
  handlers: Handlers;
  events: EventHub;
  /** Folder of the built renderer (dist/renderer). */
  staticDir: string;
  /** 0 picks a free port. */
  port: number;
  /** When false, channels that change the machine answer "not-allowed". */
  allowSystemChanges: boolean;
  token?: string;
}

export interface LoopbackServer {
  server: Server;
  port: number;
  token: string;
  /** The address to open, token in the fragment. */
  url: string;
  close(): Promise<void>;
}

const securityHeaders = {
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Cache-Control': 'no-store',
};

const send = (res: ServerResponse, status: number, type: string, body: string | Buffer) => {
  res.writeHead(status, { ...securityHeaders, 'Content-Type': type });
  res.end(body);
};

const sendJson = (res: ServerResponse, status: number, value: unknown) =>
  send(res, status, 'application/json; charset=utf-8', JSON.stringify(value));

const readBody = (req: IncomingMessage, limit: number): Promise<string | null> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        resolve(null);
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });

export const startLoopbackServer = async (opts: LoopbackOptions): Promise<LoopbackServer> => {
  const token = opts.token ?? randomBytes(24).toString('base64url');
  let port = opts.port;
  const streams = new Set<ServerResponse>();
  const offEvents = opts.events.onAny((event, payload) => {
    const frame = `event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`;
    for (const res of streams) res.write(frame);
  });

  const invoke = async (req: IncomingMessage, res: ServerResponse) => {
    const text = await readBody(req, MAX_ARGS_BYTES + 4096);
    if (text === null) return sendJson(res, 413, fail('invalid-arguments', 'The request is too large.'));
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch {
      return sendJson(res, 400, fail('invalid-arguments', 'The request is not valid JSON.'));
    }
    const { channel, args } = (message ?? {}) as { channel?: unknown; args?: unknown };
    if (!opts.allowSystemChanges && isInvokeChannel(channel) && changesSystem(channel)) {
      return sendJson(
        res,
        200,
        fail(
          'not-allowed',
          'This browser session cannot change this machine. Restart with `gpu-ferry serve --allow-system-changes` if you mean to, or use `gpu-ferry serve --demo`.',
        ),
      );
    }
    sendJson(res, 200, await dispatch(opts.handlers, channel, args, undefined, 'the terminal where gpu-ferry serve runs'));
  };

  const events = (req: IncomingMessage, res: ServerResponse) => {
    res.writeHead(200, { ...securityHeaders, 'Content-Type': 'text/event-stream', Connection: 'keep-alive' });
    res.write(': connected\n\n');
    streams.add(res);
    const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), 15000);
    req.on('close', () => {
      clearInterval(keepAlive);
      streams.delete(res);
    });
  };

  const server = createServer((req, res) => {
    void (async () => {
      if (!hostAllowed(req, port) || !originAllowed(req, port)) return send(res, 403, 'text/plain', 'Forbidden host or origin.\n');
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (url.pathname.startsWith('/api/')) {
        if (!tokenMatches(req, token)) return sendJson(res, 403, fail('not-authorized', 'Missing or wrong token.'));
        if (url.pathname === '/api/invoke' && req.method === 'POST') return invoke(req, res);
        if (url.pathname === '/api/events' && req.method === 'GET') return events(req, res);
        return sendJson(res, 404, fail('not-found', 'No such endpoint.'));
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain', 'Method not allowed.\n');
      const file = await readStatic(opts.staticDir, url.pathname);
      if (!file) return send(res, 404, 'text/plain', 'Not found.\n');
      send(res, 200, file.type, file.body);
    })().catch(() => {
      if (!res.headersSent) send(res, 500, 'text/plain', 'Internal error.\n');
      else res.end();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  return {
    server,
    port,
    token,
    url: `http://127.0.0.1:${port}/#token=${token}`,
    close: async () => {
      offEvents();
      for (const res of streams) res.end();
      streams.clear();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
};
