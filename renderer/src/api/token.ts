// Browser mode: the loopback server prints a URL whose fragment carries a one-time random token
// (#token=...). Fragments never reach server logs or Referer headers; we move it to sessionStorage
// and clean the address bar so a screenshot or copy of the URL does not leak it.
const storageKey = 'gpu-ferry-token';

export const readBrowserToken = (win: Window = window): string | null => {
  const match = /(?:^#|&)token=([A-Za-z0-9_-]{16,128})(?:&|$)/.exec(win.location.hash);
  if (match?.[1]) {
    win.sessionStorage.setItem(storageKey, match[1]);
    win.history.replaceState(null, '', win.location.pathname + win.location.search);
    return match[1];
  }
  return win.sessionStorage.getItem(storageKey);
};
