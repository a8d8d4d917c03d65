// Which systemd unit runs libvirt's QEMU driver: the modular virtqemud (Fedora since 35, and wherever
// the monolithic libvirtd is absent) or the classic libvirtd. qemu.conf is read only when it starts.
import type { HostModel } from '../host/model';

export function libvirtQemuUnit(host: HostModel): string {
  const fedoraLike = host.os.id === 'fedora' || host.os.idLike.includes('fedora');
  const modular = host.commands.includes('virtqemud');
  if (modular && (fedoraLike || !host.libvirt.libvirtd)) return 'virtqemud.service';
  return 'libvirtd.service';
}
