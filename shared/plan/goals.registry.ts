// Every goal, once. Add a goal: one import, one entry.
import type { GoalDefinition } from './goals';
import { lookingGlassGoal } from '../lg/goal';
import { iommuGoal, sriovGoal, vfioEarlyGoal } from '../setup/goals';
import { handoffConfigGoal } from '../handoff/plan-handoff-config';
import { hookInstallGoal } from '../handoff/plan-hook-install';
import { displayOffGoal } from '../handoff/plan-display-off';
import { hugepagesGoal } from '../vm/hugepages-goal';
import { declarativeAware } from '../setup/declarative';
import { privateFilesAware } from './private-files';

// On NixOS and Guix System no goal edits generated files (shared/setup/declarative.ts); no goal writes a
// file it could not read (private-files.ts).
export const goalList: GoalDefinition[] = [lookingGlassGoal, iommuGoal, vfioEarlyGoal, handoffConfigGoal, hookInstallGoal, displayOffGoal, hugepagesGoal, sriovGoal].map((g) => privateFilesAware(declarativeAware(g)));

export const goalsByName = (): Map<string, GoalDefinition> => new Map(goalList.map((g) => [g.name, g]));
