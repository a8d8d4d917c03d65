// Every `gpu-ferry` command, in the order `--help` lists them. Add a command: one import, one entry.
import type { CliCommand } from './command';

export const commands: CliCommand[] = [];
