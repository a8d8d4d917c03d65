// What every handler needs to know about where it runs: which machine to read, whether plans go to a
// simulated root, which libvirt to talk to, where our own data lives, and how to push events.
import type { EventChannel, PayloadOf } from '../../shared/ipc/contract';

export interface ServiceEvents {
  emit<E extends EventChannel>(event: E, payload: PayloadOf<E>): void;
}

export interface ServiceContext {
  /** Where the host model comes from: a root directory (default "/") or a host spec / snapshot file. */
  hostSource: { root?: string; host?: string };
  /** When set, plans apply through the helper with --root into this directory instead of the real system. */
  simulatedRoot: string | null;
  /** libvirt connection URI (qemu:///system normally, test:///default in tests and demos). */
  libvirtUri: string;
  /** GPU Ferry's own data directory (settings.json, VM XML backups). */
  dataDir: string;
  events: ServiceEvents;
  /** The simulated machine's name when it was materialized from a host file (its base name). */
  hostLabel?: string;
  shell: 'electron' | 'browser';
  version: string;
  /** Browser mode on a real machine without --allow-system-changes: anything that changes it is refused. */
  readOnly?: boolean;
  /** The desktop shell's file chooser for an ISO (null: cancelled); absent in browser mode. */
  pickIsoFile?: () => Promise<string | null>;
  /** Called after settings change, e.g. so the Electron shell can (un)install its autostart entry. */
  onSettingsChanged?: (settings: import('../../shared/ipc/contract').Settings) => Promise<void>;
}
