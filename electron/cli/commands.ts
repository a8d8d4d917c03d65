// Every `gpu-ferry` command, in the order `--help` lists them. Add a command: one import, one entry.
import type { CliCommand } from './command';
import { doctorCommand } from './cmd-doctor';
import { scanCommand } from './cmd-scan';
import { snapshotCommand } from './cmd-snapshot';
import { serveCommand } from './cmd-serve';

export const commands: CliCommand[] = [doctorCommand, scanCommand, snapshotCommand, serveCommand];
