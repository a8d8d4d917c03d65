// Reads the Looking Glass release out of `looking-glass-client --version` (or a log line): the client
// prints "Looking Glass (B7)", "Looking Glass (B7-rc1)" or, for a git build, "Looking Glass (B6-123-gabcdef0123+1)".

export interface LgVersion {
  /** As printed, e.g. B7-rc1 or B6-123-gabcdef0123+1. */
  raw: string;
  /** The release the build belongs to: B6, B7, B7-rc1, ... */
  release: string;
  /** Release number (6 for B6); null when the text is not a B-release (very old A-releases). */
  major: number | null;
  /** Commits after the release tag and the commit id, for git builds. */
  commitsAfter: number;
  commit: string | null;
}

export function parseLgVersion(raw: string): LgVersion | null {
  const m = /^(B(\d+)(?:-rc\d+)?)(?:-(\d+)-g([0-9a-f]{7,40}))?(?:\+\d+)?$/.exec(raw.trim());
  if (!m) {
    const legacy = /^(A\d+)$/.exec(raw.trim());
    return legacy ? { raw: raw.trim(), release: legacy[1] ?? raw, major: null, commitsAfter: 0, commit: null } : null;
  }
  return { raw: raw.trim(), release: m[1] ?? raw, major: Number(m[2]), commitsAfter: Number(m[3] ?? 0), commit: m[4] ?? null };
}

/** Finds the version in the client's output; null when it is not there (not a Looking Glass client). */
export function versionFromClientOutput(output: string): LgVersion | null {
  const m = /Looking Glass \(([^)\s]+)\)/.exec(output) ?? /^\s*(B\d+(?:-rc\d+)?(?:-\d+-g[0-9a-f]+)?(?:\+\d+)?)\s*$/m.exec(output);
  return m?.[1] ? parseLgVersion(m[1]) : null;
}
