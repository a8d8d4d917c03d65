// Session and web-contents hardening against recording stand-ins for Electron's objects (no binary
// here): permissions denied, CSP header added, navigation away blocked, new windows and webviews refused,
// only allowlisted https links handed to the browser.
import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';

const opened: string[] = [];
vi.mock('electron', () => ({ shell: { openExternal: async (url: string) => void opened.push(url) } }));

const { hardenSession, hardenWebContents } = await import('../../../electron/main/security');
const { CONTENT_SECURITY_POLICY } = await import('../../../electron/main/csp');

const origins = {
  rendererFileUrl: 'file:///opt/GPU%20Ferry/resources/app.asar/dist/renderer/index.html',
  devUrl: null,
};

describe('hardenSession', () => {
  it('denies every permission and adds the CSP header', () => {
    const handlers: Record<string, (...a: never[]) => unknown> = {};
    const session = {
      setPermissionRequestHandler: (f: never) => (handlers.request = f),
      setPermissionCheckHandler: (f: never) => (handlers.check = f),
      setDevicePermissionHandler: (f: never) => (handlers.device = f),
      webRequest: { onHeadersReceived: (f: never) => (handlers.headers = f) },
    };
    hardenSession(session as never);
    const answers: boolean[] = [];
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read']) {
      (handlers.request as (...a: unknown[]) => void)({}, permission, (ok: boolean) => answers.push(ok));
    }
    expect(answers).toEqual([false, false, false, false]);
    expect((handlers.check as () => boolean)()).toBe(false);
    expect((handlers.device as () => boolean)()).toBe(false);
    let headers: Record<string, string[]> = {};
    (handlers.headers as (...a: unknown[]) => void)(
      { responseHeaders: { 'X-Other': ['1'] } },
      (r: { responseHeaders: Record<string, string[]> }) => (headers = r.responseHeaders),
    );
    expect(headers).toEqual({ 'X-Other': ['1'], 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] });
  });
});

describe('hardenWebContents', () => {
  const setup = () => {
    const app = new EventEmitter();
    hardenWebContents(app as never, origins);
    const contents = Object.assign(new EventEmitter(), {
      openHandler: null as null | ((d: { url: string }) => { action: string }),
      setWindowOpenHandler(f: (d: { url: string }) => { action: string }) {
        this.openHandler = f;
      },
    });
    app.emit('web-contents-created', {}, contents);
    return contents;
  };
  const navigate = (contents: EventEmitter, event: string, url: string) => {
    let prevented = false;
    contents.emit(event, { preventDefault: () => (prevented = true) }, url);
    return prevented;
  };

  it('keeps navigation inside our renderer and opens only allowlisted links outside', () => {
    opened.length = 0;
    const contents = setup();
    expect(navigate(contents, 'will-navigate', `${origins.rendererFileUrl}#/journal`)).toBe(false);
    expect(navigate(contents, 'will-navigate', 'https://evil.example/')).toBe(true);
    expect(navigate(contents, 'will-redirect', 'file:///etc/passwd')).toBe(true);
    expect(navigate(contents, 'will-navigate', 'https://looking-glass.io/downloads')).toBe(true);
    expect(opened).toEqual(['https://looking-glass.io/downloads']);
  });

  it('denies every new window and webview', () => {
    opened.length = 0;
    const contents = setup();
    expect(contents.openHandler!({ url: 'https://github.com/gnif/LookingGlass' })).toEqual({
      action: 'deny',
    });
    expect(contents.openHandler!({ url: 'javascript:alert(1)' })).toEqual({ action: 'deny' });
    expect(opened).toEqual(['https://github.com/gnif/LookingGlass']);
    expect(navigate(contents, 'will-attach-webview', 'about:blank')).toBe(true);
  });
});
