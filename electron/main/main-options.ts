// Command-line options of the desktop app (Chromium adds its own switches, so unknown ones are ignored):
//   --host=SPEC          read a simulated machine from a host spec instead of "/"
//   --simulate-root=DIR  apply plans into DIR through the helper's --root (nothing touches the system)
//   --connect=URI        libvirt URI (default qemu:///system)
//   --data-dir=DIR       GPU Ferry's data directory (settings, window state)
//   --after-login        started by the autostart entry
import path from 'node:path';
import { parseArgs } from 'node:util';

export interface MainOptions {
  host: string | undefined;
  simulatedRoot: string | null;
  libvirtUri: string;
  dataDir: string | null;
  afterLogin: boolean;
}

const absolute = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? path.resolve(value) : undefined;

export function parseMainOptions(argv: string[]): MainOptions {
  const { values } = parseArgs({
    args: argv,
    strict: false,
    allowPositionals: true,
    options: {
      host: { type: 'string' },
      'simulate-root': { type: 'string' },
      connect: { type: 'string' },
      'data-dir': { type: 'string' },
      'after-login': { type: 'boolean' },
    },
  });
  const connect =
    typeof values.connect === 'string' && /^[a-z+]+:\/\/[^\s]*$/.test(values.connect)
      ? values.connect
      : 'qemu:///system';
  return {
    host: absolute(values.host),
    simulatedRoot: absolute(values['simulate-root']) ?? null,
    libvirtUri: connect,
    dataDir: absolute(values['data-dir']) ?? null,
    afterLogin: values['after-login'] === true,
  };
}
