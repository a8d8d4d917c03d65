// The one way a handler reports a failure a person can act on: a stable code for the UI to branch on
// and a message that says what happened and what to do. dispatch() turns it into a Result error.
export class ServiceError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ServiceError';
  }
}

/** A channel whose backing module is not part of this build yet (or not usable on this machine). */
export const unavailable = (what: string): ServiceError =>
  new ServiceError('unavailable', `${what} is not available in this version of GPU Ferry yet.`);
