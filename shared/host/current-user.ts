// The account GPU Ferry's advice is for (groups to join, a kvmfr device's owner).
import type { HostModel, UserInfo } from './model';

/**
 * On a scanned machine, the person running GPU Ferry (`current`, from the login uid), never another
 * account: as root with no login, nobody. In a host spec (no `current` marks), its first regular account.
 */
export function currentUser(host: HostModel): UserInfo | undefined {
  const regular = host.users.filter((u) => u.uid >= 1000 && u.uid < 60000);
  const live = host.users.some((u) => u.current !== undefined);
  return live ? regular.find((u) => u.current) : regular[0];
}
