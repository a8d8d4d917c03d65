// Version strings compared as numbers (`9.0.0` vs `7.9`): enough for libvirt and QEMU.

export function versionAtLeast(version: string | null, minimum: string): boolean | null {
  if (!version) return null;
  const parse = (v: string): number[] | null => {
    const m = /(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(v);
    return m ? [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0)] : null;
  };
  const a = parse(version);
  const b = parse(minimum);
  if (!a || !b) return null;
  for (let i = 0; i < 3; i += 1) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    if (x !== y) return x > y;
  }
  return true;
}
