// Which frames may call IPC: only the top frame showing our own renderer, loaded from the packaged
// file:// index.html or, in development only, from the dev server URL. Anything else (an iframe, a page
// navigated elsewhere, a data: URL) is refused before any work.
export interface TrustedOrigins {
  /** file:// URL of dist/renderer/index.html. */
  rendererFileUrl: string;
  /** Dev server origin (http://localhost:5173) — null in packaged builds. */
  devUrl: string | null;
}

export function isTrustedSenderUrl(raw: string, origins: TrustedOrigins): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  if (url.protocol === 'file:') {
    const expected = new URL(origins.rendererFileUrl);
    return url.pathname === expected.pathname && url.host === '';
  }
  if (origins.devUrl !== null) {
    const dev = new URL(origins.devUrl);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === dev.origin;
  }
  return false;
}
