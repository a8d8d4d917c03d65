// Every `gpu-ferry` command, in the order `--help` lists them. Add a command: one import, one entry.
import type { CliCommand } from './command';
import { lookingGlassPlanCommand } from './cmd-looking-glass-plan';
import { lookingGlassApplyCommand } from './cmd-looking-glass-apply';
import { lookingGlassStatusCommand } from './cmd-looking-glass-status';
import { lookingGlassLaunchCommand } from './cmd-looking-glass-launch';
import { doctorCommand } from './cmd-doctor';
import { scanCommand } from './cmd-scan';
import { snapshotCommand } from './cmd-snapshot';
import { serveCommand } from './cmd-serve';
import { rescueCommand } from './cmd-rescue';
import { vmCommands } from './cmd-vm';
import { planCommand } from './cmd-plan';
import { applyCommand } from './cmd-apply';
import { journalCommand } from './cmd-journal';
import { undoCommand } from './cmd-undo';
import { installIntegrationCommand } from './cmd-install-integration';

export const commands: CliCommand[] = [doctorCommand, scanCommand, snapshotCommand, serveCommand, rescueCommand, lookingGlassPlanCommand, lookingGlassApplyCommand, lookingGlassStatusCommand, lookingGlassLaunchCommand, ...vmCommands, planCommand, applyCommand, journalCommand, undoCommand, installIntegrationCommand];
