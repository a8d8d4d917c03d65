// Every `gpu-ferry` command, in the order `--help` lists them. Add a command: one import, one entry.
import type { CliCommand } from './command';
import { serveCommand } from './cmd-serve';

export const commands: CliCommand[] = [serveCommand];
