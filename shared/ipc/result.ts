// What every IPC call returns: a value, or an error a person can act on. Never a thrown exception
// across the process boundary.
export type IpcError = {
  /** Stable code for the UI to branch on: 'invalid-arguments', 'unknown-channel', 'not-authorized', ... */
  code: string;
  /** A message a person can act on. */
  message: string;
};

export type Result<T> = { ok: true; value: T } | { ok: false; error: IpcError };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = (code: string, message: string): Result<never> => ({ ok: false, error: { code, message } });
