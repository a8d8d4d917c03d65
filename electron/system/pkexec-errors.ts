// Turning what pkexec and the helper report into errors a person can act on.

export type HelperErrorCode =
  | 'dismissed'
  | 'not-authorized'
  | 'no-polkit-agent'
  | 'not-installed'
  | 'root-owned-tree'
  | 'rejected'
  | 'failed'
  | 'refused'
  | 'busy'
  | 'usage'
  | 'crashed';

export class HelperError extends Error {
  constructor(
    readonly code: HelperErrorCode,
    message: string,
    /** The helper's own error code (e.g. path-not-allowed) and step, when it printed one. */
    readonly detail: { helperCode?: string; step?: number | null } = {},
  ) {
    super(message);
    this.name = 'HelperError';
  }
}

const NO_AGENT = /no authentication agent|polkit-agent-helper|cannot open display/i;

/** Exit status of `pkexec helper ...` (or of the helper run directly) → an error, or null for success. */
export function helperExitError(exitCode: number | null, stderr: string, helperError: { code: string; step: number | null; message: string } | null, viaPkexec: boolean): HelperError | null {
  if (exitCode === 0) return null;
  if (viaPkexec && exitCode === 126) {
    return new HelperError('dismissed', 'The password dialog was closed, so nothing was changed.');
  }
  if (viaPkexec && exitCode === 127) {
    if (NO_AGENT.test(stderr)) {
      return new HelperError(
        'no-polkit-agent',
        'No polkit authentication agent is running, so no password dialog can be shown. Start your desktop\'s polkit agent (for example polkit-gnome-authentication-agent-1, polkit-kde-authentication-agent-1 or lxpolkit) and try again, or run the same command in a terminal with `pkexec`.',
      );
    }
    return new HelperError('not-authorized', 'You are not authorized to make this change (the administrator password was not accepted). Nothing was changed.');
  }
  const detail = helperError ? { helperCode: helperError.code, step: helperError.step } : {};
  const said = helperError ? `${helperError.message} [${helperError.code}${helperError.step === null ? '' : `, step ${helperError.step}`}]` : stderr.trim() || `exit status ${String(exitCode)}`;
  switch (exitCode) {
    case 2:
      return new HelperError('rejected', `The helper refused the plan, nothing was changed: ${said}`, detail);
    case 3:
      return new HelperError('failed', `Applying failed: ${said}`, detail); // root says what it put back
    case 4:
      return new HelperError('refused', `The helper refused: ${said}`, detail);
    case 5:
      return new HelperError('busy', `Another GPU Ferry change is running: ${said}`, detail);
    case 64:
      return new HelperError('usage', `The helper was called wrongly: ${said}`, detail);
    default:
      return new HelperError('crashed', `The helper stopped unexpectedly (${exitCode === null ? 'killed' : `exit ${exitCode}`}): ${said}`, detail);
  }
}
