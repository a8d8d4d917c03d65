// Kernel command line tokens: find, add and remove parameters inside a piece of text (a GRUB variable's
// value, an `options` line, /etc/kernel/cmdline) while leaving every other byte exactly as it was.
// The kernel splits on whitespace outside double quotes and treats `-` and `_` in names as the same.

export interface CmdlineToken {
  /** The token as written, e.g. `intel_iommu=on` or `acpi_osi="Windows 2020"`. */
  text: string;
  /** Name with `-` normalised to `_`, e.g. `vfio_pci.ids`. */
  key: string;
  /** Value after the first `=`, quotes kept; null for a bare flag. */
  value: string | null;
  start: number;
  end: number;
}

export const normalizeKey = (key: string): string => key.replace(/-/g, '_');

/** Splits on whitespace outside double quotes (a `\"` pair, as written inside a shell string, also quotes). */
export function tokenize(text: string): CmdlineToken[] {
  const tokens: CmdlineToken[] = [];
  let i = 0;
  while (i < text.length) {
    while (i < text.length && /\s/.test(text[i] ?? '')) i++;
    if (i >= text.length) break;
    const start = i;
    let quoted = false;
    while (i < text.length && (quoted || !/\s/.test(text[i] ?? ''))) {
      if (text[i] === '"') quoted = !quoted;
      i++;
    }
    const raw = text.slice(start, i);
    const eq = raw.indexOf('=');
    tokens.push({
      text: raw,
      key: normalizeKey(eq === -1 ? raw : raw.slice(0, eq)),
      value: eq === -1 ? null : raw.slice(eq + 1),
      start,
      end: i,
    });
  }
  return tokens;
}

/** Parameters whose value is a comma list of options (`intel_iommu=on,igfx_off`). */
const OPTION_LIST_KEYS = new Set(['intel_iommu', 'amd_iommu', 'rd.driver.pre']);

const splitParam = (param: string): { key: string; value: string | null } => {
  const eq = param.indexOf('=');
  return eq === -1
    ? { key: normalizeKey(param), value: null }
    : { key: normalizeKey(param.slice(0, eq)), value: param.slice(eq + 1) };
};

/**
 * What to write so that `wanted` (e.g. `intel_iommu=on`) holds, given the last token with the same name
 * (the kernel uses the last one). Returns null when it already holds. Option lists keep their other
 * options (`intel_iommu=igfx_off` → `intel_iommu=on,igfx_off`) and drop a contradicting `off`.
 */
export function mergedParam(existing: CmdlineToken | undefined, wanted: string): string | null {
  const want = splitParam(wanted);
  if (!existing) return wanted;
  if (existing.value === want.value) return null;
  if (OPTION_LIST_KEYS.has(want.key) && existing.value !== null && want.value !== null) {
    const have = existing.value.split(',');
    if (have.includes(want.value)) return null;
    const keep = have.filter((o) => o !== 'off' && o !== '' && o !== want.value);
    const name = existing.text.slice(0, existing.text.indexOf('='));
    return `${name}=${[want.value, ...keep].join(',')}`;
  }
  return wanted;
}

export const lastToken = (tokens: CmdlineToken[], key: string): CmdlineToken | undefined =>
  tokens.filter((t) => t.key === normalizeKey(key)).at(-1);

/** The parameters (in the merged form to write) that `text` still lacks. */
export function missingParams(text: string, wanted: string[]): string[] {
  const tokens = tokenize(text);
  return wanted.flatMap((w) => {
    const merged = mergedParam(lastToken(tokens, splitParam(w).key), w);
    return merged === null ? [] : [merged];
  });
}

/**
 * Whether a token matches a removal pattern: a bare name (`vfio-pci.ids`) matches any value, a
 * `name=value` pattern (`rd.driver.pre=vfio_pci`) only that exact parameter.
 */
const matchesPattern = (t: CmdlineToken, pattern: string): boolean => {
  const eq = pattern.indexOf('=');
  if (eq === -1) return t.key === normalizeKey(pattern);
  return t.key === normalizeKey(pattern.slice(0, eq)) && t.value === pattern.slice(eq + 1);
};

/** The tokens of `text` matching one of `patterns` (see matchesPattern). */
export const paramsPresent = (text: string, patterns: string[]): CmdlineToken[] =>
  tokenize(text).filter((t) => patterns.some((p) => matchesPattern(t, p)));

const removeSpan = (text: string, start: number, end: number): string => {
  // Take one neighbouring run of blanks with the token so no double space is left behind.
  let s = start;
  let e = end;
  if (e < text.length && /[ \t]/.test(text[e] ?? '')) {
    while (e < text.length && /[ \t]/.test(text[e] ?? '')) e++;
  } else {
    while (s > 0 && /[ \t]/.test(text[s - 1] ?? '')) s--;
  }
  return text.slice(0, s) + text.slice(e);
};

/**
 * Ensures every `wanted` parameter holds and no token matching `removeKeys` remains (a bare name or an
 * exact `name=value`). A parameter whose
 * name is already there is rewritten in place (last occurrence; earlier duplicates are dropped), a new one
 * is appended after the last token; everything else is left byte for byte.
 */
export function editCmdline(text: string, wanted: string[], removeKeys: string[] = []): string {
  let out = text;
  // Work from the end so earlier offsets stay valid.
  const tokens = tokenize(out);
  const appended: string[] = [];
  const replacements = new Map<CmdlineToken, string | null>();
  for (const t of tokens) if (removeKeys.some((p) => matchesPattern(t, p))) replacements.set(t, null);
  for (const w of wanted) {
    const key = splitParam(w).key;
    const same = tokens.filter((t) => t.key === key);
    const last = same.at(-1);
    const merged = mergedParam(last, w);
    if (merged === null) continue;
    if (!last) {
      appended.push(merged);
      continue;
    }
    for (const t of same) replacements.set(t, t === last ? merged : null);
  }
  const ordered = [...replacements.entries()].sort((a, b) => b[0].start - a[0].start);
  for (const [t, replacement] of ordered) {
    out =
      replacement === null
        ? removeSpan(out, t.start, t.end)
        : out.slice(0, t.start) + replacement + out.slice(t.end);
  }
  if (appended.length > 0) {
    const remaining = tokenize(out);
    const at = remaining.at(-1)?.end ?? 0;
    const before = out.slice(0, at);
    const sep = before.length === 0 ? '' : ' ';
    out = before + sep + appended.join(' ') + out.slice(at);
  }
  return out;
}
