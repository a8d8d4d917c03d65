// Session- and app-wide hardening: deny every permission request, add the CSP header to every response,
// block navigation away from our renderer, refuse new windows and <webview>s, and send only allowlisted
// https links to the user's browser.
import { shell, type App, type Session } from 'electron';
import { CONTENT_SECURITY_POLICY } from './csp';
import { isAllowedExternalUrl } from './external-links';
import { isTrustedSenderUrl, type TrustedOrigins } from './trusted-sender';

export function hardenSession(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] },
    });
  });
}

function openIfAllowed(url: string): void {
  if (isAllowedExternalUrl(url)) {
    void shell.openExternal(url);
  } else {
    console.warn(`gpu-ferry: refused to open ${url.slice(0, 200)}`);
  }
}

export function hardenWebContents(app: App, origins: TrustedOrigins): void {
  app.on('web-contents-created', (_event, contents) => {
    const guard = (event: { preventDefault(): void }, url: string) => {
      if (isTrustedSenderUrl(url, origins)) return;
      event.preventDefault();
      openIfAllowed(url);
    };
    contents.on('will-navigate', guard);
    contents.on('will-redirect', guard);
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      openIfAllowed(url);
      return { action: 'deny' };
    });
  });
}
