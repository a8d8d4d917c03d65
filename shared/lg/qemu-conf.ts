// Adds a device to `cgroup_device_acl` in libvirt's qemu.conf. The setting REPLACES libvirt's built-in
// list, so when it is still commented out we write the default list (read from the commented example in
// the file itself, which ships with the installed libvirt) plus our device. Edits are text splices:
// every other byte of the user's file stays as it was.

/** libvirt 9.0's built-in list, used only when the file has no commented example to read it from. */
export const LIBVIRT_DEFAULT_DEVICE_ACL = ['/dev/null', '/dev/full', '/dev/zero', '/dev/random', '/dev/urandom', '/dev/ptmx', '/dev/kvm'];

export class QemuConfError extends Error {}

interface ListSpan {
  /** Offset of the `[`. */
  open: number;
  /** Offset of the `]`. */
  close: number;
  entries: { value: string; start: number; end: number }[];
}

/** Scans a `[ "a", "b" ]` list starting at `open`; `commented` lists have `#` at each line start. */
function scanList(text: string, open: number, commented: boolean): ListSpan | null {
  const entries: ListSpan['entries'] = [];
  let i = open + 1;
  while (i < text.length) {
    const c = text[i];
    if (c === ']') return { open, close: i, entries };
    if (c === '"') {
      const end = text.indexOf('"', i + 1);
      if (end === -1) return null;
      entries.push({ value: text.slice(i + 1, end), start: i, end: end + 1 });
      i = end + 1;
      continue;
    }
    if (c === '#') {
      if (commented && /(^|\n)[ \t]*$/.test(text.slice(Math.max(0, text.lastIndexOf('\n', i - 1)), i))) {
        i += 1; // the comment marker of a commented-out line: keep reading the list
        continue;
      }
      const newline = text.indexOf('\n', i);
      i = newline === -1 ? text.length : newline + 1; // a comment inside the list
      continue;
    }
    if (c === '\n' && commented && !/^[ \t]*#/.test(text.slice(i + 1))) return null; // the commented block ended
    i += 1;
  }
  return null;
}

/** Active (uncommented) `cgroup_device_acl` settings. */
function activeSettings(text: string): ListSpan[] {
  const spans: ListSpan[] = [];
  for (const m of text.matchAll(/^[ \t]*cgroup_device_acl[ \t]*=[ \t]*/gm)) {
    const open = (m.index ?? 0) + m[0].length;
    const list = text[open] === '[' ? scanList(text, open, false) : null;
    if (!list) throw new QemuConfError('qemu.conf: cgroup_device_acl is set but is not a readable [ "..." ] list; fix it by hand first.');
    spans.push(list);
  }
  return spans;
}

/** The commented example `#cgroup_device_acl = [ ... #]` and its entries (libvirt's defaults). */
function commentedExample(text: string): ListSpan | null {
  const m = /^[ \t]*#[ \t]*cgroup_device_acl[ \t]*=[ \t]*\[/m.exec(text);
  if (!m) return null;
  return scanList(text, m.index + m[0].length - 1, true);
}

/** The device list libvirt uses for this file now (the active setting or the defaults). */
export function effectiveDeviceAcl(conf: string | null): string[] {
  const text = conf ?? '';
  const active = activeSettings(text);
  const last = active[active.length - 1];
  if (last) return last.entries.map((e) => e.value);
  return commentedExample(text)?.entries.map((e) => e.value) ?? [...LIBVIRT_DEFAULT_DEVICE_ACL];
}

function formatNewSetting(devices: string[], note: string): string {
  const lines = devices.map((d, i) => `    "${d}"${i < devices.length - 1 ? ',' : ''}`);
  return `# ${note}\ncgroup_device_acl = [\n${lines.join('\n')}\n]\n`;
}

/**
 * Returns qemu.conf with `device` allowed. Unchanged text when it already is. `conf` null means the
 * file does not exist: the result is a new file with the default list plus the device.
 */
export function addCgroupDevice(conf: string | null, device: string, note = `Added by GPU Ferry: libvirt's default list plus ${device}.`): string {
  if (!/^\/dev\/[A-Za-z0-9._/-]+$/.test(device) || device.includes('..')) throw new QemuConfError(`Not a device path: ${device}`);
  const text = conf ?? '';
  const active = activeSettings(text);
  if (active.length > 1) throw new QemuConfError('qemu.conf sets cgroup_device_acl more than once; keep one and try again.');
  const list = active[0];
  if (list) {
    if (list.entries.some((e) => e.value === device)) return text;
    const lastEntry = list.entries[list.entries.length - 1];
    if (!lastEntry) return `${text.slice(0, list.open + 1)} "${device}" ${text.slice(list.close)}`;
    const lineStart = text.lastIndexOf('\n', lastEntry.start) + 1;
    const multiline = text.slice(list.open, list.close).includes('\n');
    const indent = /^[ \t]*/.exec(text.slice(lineStart))?.[0] ?? '';
    const separator = multiline ? `,\n${indent}` : ', ';
    return text.slice(0, lastEntry.end) + separator + `"${device}"` + text.slice(lastEntry.end);
  }
  const example = commentedExample(text);
  const defaults = example ? example.entries.map((e) => e.value) : LIBVIRT_DEFAULT_DEVICE_ACL;
  const block = formatNewSetting([...defaults.filter((d) => d !== device), device], note);
  if (example) {
    const afterExample = text.indexOf('\n', example.close);
    const at = afterExample === -1 ? text.length : afterExample + 1;
    const lead = afterExample === -1 ? '\n' : '';
    return text.slice(0, at) + lead + block + text.slice(at);
  }
  if (text === '') return block;
  return text + (text.endsWith('\n') ? '\n' : '\n\n') + block;
}
