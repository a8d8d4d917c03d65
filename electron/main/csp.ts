// The renderer's Content-Security-Policy, sent as a response header by the session (electron/main/
// security.ts) and mirrored by the <meta> tag in renderer/index.html: only our own bundled scripts and
// styles, no eval, no plugins, no framing, no form posts, no network beyond our own origin.
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
