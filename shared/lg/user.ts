// Who uses Looking Glass on this host: the named user, or the first regular (uid 1000–59999) account.
import type { HostModel } from '../host/model';
import { LgInputError } from './size';

export function lgUser(host: HostModel, requested: string | undefined): string {
  if (requested) {
    if (!host.users.some((u) => u.name === requested)) throw new LgInputError(`No user "${requested}" on this host.`);
    return requested;
  }
  const regular = host.users.find((u) => u.uid >= 1000 && u.uid < 60000);
  if (!regular) throw new LgInputError('This host has no regular user account; name one with --user.');
  return regular.name;
}
