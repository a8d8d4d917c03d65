// The loopback server of browser mode, driven over real HTTP with the real dispatcher and handlers:
// token, Host/Origin (DNS rebinding), read-only guard, static files, and the renderer's fetch client.
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { request } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFetchApi } from '../../renderer/src/api/fetch-client';
import { startLoopbackServer, type LoopbackServer } from '../../electron/server/loopback-server';
import { createEventHub } from '../../electron/services/events';
import { createHandlers } from '../../electron/services/handlers';

let server: LoopbackServer;
let dir: string;
const events = createEventHub();

const raw = (opts: { path: string; method?: string; headers?: Record<string, string>; body?: string }) =>
  new Promise<{ status: number; headers: Record<string, unknown>; body: string }>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, path: opts.path, method: opts.method ?? 'GET', headers: opts.headers }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });

const invoke = (channel: string, args: unknown[], headers: Record<string, string> = {}) =>
  raw({
    path: '/api/invoke',
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-gpu-ferry-token': server.token, ...headers },
    body: JSON.stringify({ channel, args }),
  });

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'gpu-ferry-server-test-'));
  mkdirSync(path.join(dir, 'static'));
  writeFileSync(path.join(dir, 'static/index.html'), '<!doctype html><title>t</title>');
  writeFileSync(path.join(dir, 'secret.json'), '{"secret":true}');
  const ctx = {
    hostSource: {},
    simulatedRoot: null,
    libvirtUri: 'test:///default',
    dataDir: path.join(dir, 'data'),
    events,
    shell: 'browser' as const,
    version: '0.0.0-test',
  };
  server = await startLoopbackServer({ handlers: createHandlers(ctx), events, staticDir: path.join(dir, 'static'), port: 0, allowSystemChanges: false });
});

afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('loopback server', () => {
  it('listens on 127.0.0.1 only and prints a URL with the token in the fragment', () => {
    expect((server.server.address() as { address: string }).address).toBe('127.0.0.1');
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/#token=${server.token}`);
    expect(server.token).toMatch(/^[\w-]{32}$/);
  });

  it('refuses API calls without the token or with a wrong one', async () => {
    expect((await invoke('app.info', [], { 'x-gpu-ferry-token': '' })).status).toBe(403);
    expect((await invoke('app.info', [], { 'x-gpu-ferry-token': 'x'.repeat(32) })).status).toBe(403);
    expect((await raw({ path: '/api/events' })).status).toBe(403);
  });

  it('answers with the token through the real dispatcher', async () => {
    const r = await invoke('app.info', []);
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toMatchObject({ ok: true, value: { shell: 'browser', version: '0.0.0-test' } });
    expect(JSON.parse((await invoke('no.such', [])).body).error.code).toBe('unknown-channel');
    expect(JSON.parse((await invoke('vm.check', ['a/b'])).body).error.code).toBe('invalid-arguments');
  });

  it('rejects foreign Host and Origin headers (DNS rebinding), even with the token', async () => {
    expect((await invoke('app.info', [], { host: `evil.example:${server.port}` })).status).toBe(403);
    expect((await invoke('app.info', [], { origin: 'http://evil.example' })).status).toBe(403);
    expect((await raw({ path: '/', headers: { host: 'evil.example' } })).status).toBe(403);
    expect((await invoke('app.info', [], { origin: `http://localhost:${server.port}` })).status).toBe(200);
  });

  it('refuses channels that change the machine when started without --allow-system-changes', async () => {
    for (const [channel, args] of [
      ['plan.apply', ['3b241101-e2bb-4255-8caf-4136c566a962']],
      ['journal.undo', ['j1']],
      ['vm.start', ['win11']],
      ['vm.stop', ['win11', { force: true }]],
      ['lg.launch', ['win11']],
    ] as const) {
      expect(JSON.parse((await invoke(channel, [...args])).body).error.code, channel).toBe('not-allowed');
    }
  });

  it('serves the renderer with a CSP and nothing outside its folder', async () => {
    const index = await raw({ path: '/' });
    expect(index.status).toBe(200);
    expect(String(index.headers['content-security-policy'])).toContain("default-src 'self'");
    expect((await raw({ path: '/../secret.json' })).status).toBe(404);
    expect((await raw({ path: '/%2e%2e/secret.json' })).status).toBe(404);
    expect((await raw({ path: '/', method: 'POST' })).status).toBe(405);
  });

  it("carries the renderer's fetch client: invoke and pushed events", async () => {
    const base = `http://127.0.0.1:${server.port}/`;
    const api = createFetchApi(server.token, (input, init) => fetch(new URL(String(input), base), init));
    const info = await api.invoke('app.info');
    expect(info.ok && info.value.shell).toBe('browser');
    const got = new Promise((resolve) => {
      const off = api.on('vm.state', (vm) => {
        off();
        resolve(vm);
      });
    });
    const vm = { name: 'win11', state: 'running', mode: 'single-gpu' as const, gpu: null };
    // The stream connects asynchronously: emit until the listener has it.
    const timer = setInterval(() => events.emit('vm.state', vm), 50);
    expect(await got).toEqual(vm);
    clearInterval(timer);
    const denied = await createFetchApi('y'.repeat(32), (input, init) => fetch(new URL(String(input), base), init)).invoke('app.info');
    expect(denied.ok ? null : denied.error.code).toBe('not-authorized');
  });
});
