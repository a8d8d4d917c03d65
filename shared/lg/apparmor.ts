// The AppArmor local override libvirt's QEMU profiles include: one rule line per device Looking Glass
// needs. Appends, never rewrites, so the user's own lines stay.

export function addAppArmorRule(current: string | null, rule: string): string {
  const text = current ?? '';
  const lines = text.split('\n').map((l) => l.trim());
  if (lines.includes(rule)) return text;
  const header = text === '' ? '# Site-specific additions for libvirt QEMU guests.\n' : '';
  const separator = text === '' || text.endsWith('\n') ? '' : '\n';
  return `${header}${text}${separator}# Added by GPU Ferry for Looking Glass.\n${rule}\n`;
}
