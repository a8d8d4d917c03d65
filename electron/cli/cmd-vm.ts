// The `gpu-ferry vm ...` commands, in --help order (registered in commands.ts as one entry).
import type { CliCommand } from './command';
import { vmAttachCommand, vmDetachCommand } from './cmd-vm-attach';
import { vmCheckCommand } from './cmd-vm-check';
import { vmCreateCommand } from './cmd-vm-create';
import { vmInputsCommand } from './cmd-vm-inputs';
import { vmListCommand } from './cmd-vm-list';
import { vmStartCommand, vmStopCommand } from './cmd-vm-power';
import { vmUndoCommand } from './cmd-vm-undo';

export const vmCommands: CliCommand[] = [
  vmListCommand,
  vmInputsCommand,
  vmCreateCommand,
  vmAttachCommand,
  vmDetachCommand,
  vmUndoCommand,
  vmCheckCommand,
  vmStartCommand,
  vmStopCommand,
];
