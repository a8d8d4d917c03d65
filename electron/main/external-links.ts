// Links the app may open in the user's browser: https only, to a short list of hosts the UI links to
// (Looking Glass downloads, virtio drivers, Windows images, documentation). Everything else is dropped.
export const EXTERNAL_HOSTS: readonly string[] = [
  'looking-glass.io',
  'github.com',
  'fedorapeople.org',
  'www.microsoft.com',
  'libvirt.org',
  'wiki.archlinux.org',
];

export function isAllowedExternalUrl(raw: string): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  return (
    url.protocol === 'https:' &&
    url.username === '' &&
    url.password === '' &&
    url.port === '' &&
    EXTERNAL_HOSTS.includes(url.hostname)
  );
}
