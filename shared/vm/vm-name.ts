// Which VM names GPU Ferry accepts. libvirt itself refuses "/" (names become file names under
// /etc/libvirt/qemu/); virsh reads an all-digit name as a domain id and a UUID-shaped name as a UUID,
// so such names could select another VM: we refuse them rather than act on the wrong machine.
// Spaces, quotes, and non-ASCII letters are fine: we only ever pass names as single argv entries.

export type VmNameCheck = { ok: true } | { ok: false; reason: string };

const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

export function checkVmName(name: string): VmNameCheck {
  if (name.length === 0) return { ok: false, reason: 'A VM name cannot be empty.' };
  if ([...name].length > 64) return { ok: false, reason: 'A VM name has at most 64 characters.' };
  if (name.includes('/')) return { ok: false, reason: `"${name}": libvirt does not allow "/" in a VM name.` };
  if (/\p{Cc}/u.test(name)) return { ok: false, reason: 'A VM name cannot contain control characters (line breaks, tabs, NUL).' };
  if (name === '.' || name === '..') return { ok: false, reason: `"${name}" cannot be a VM name.` };
  if (name.trim() !== name) return { ok: false, reason: `"${name}": a VM name cannot start or end with a space.` };
  if (/^\d+$/.test(name)) return { ok: false, reason: `"${name}": virsh would read an all-digit name as a domain id; add a letter.` };
  if (UUID.test(name)) return { ok: false, reason: `"${name}": virsh would read this name as a UUID; choose another.` };
  return { ok: true };
}

/** Throws with the reason when the name is refused; returns it otherwise. */
export function requireVmName(name: string): string {
  const check = checkVmName(name);
  if (!check.ok) throw new Error(check.reason);
  return name;
}

/** A file-name-safe, reversible form of a VM name (for backups): percent-encoding of everything but [A-Za-z0-9._-]. */
export const vmFileStem = (name: string): string =>
  [...new TextEncoder().encode(name)]
    .map((b) => (/[A-Za-z0-9._-]/.test(String.fromCharCode(b)) && b < 0x80 ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`))
    .join('');
