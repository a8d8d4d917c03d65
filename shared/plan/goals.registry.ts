// Every goal, once. Add a goal: one import, one entry.
import type { GoalDefinition } from './goals';

export const goalList: GoalDefinition[] = [];

export const goalsByName = (): Map<string, GoalDefinition> => new Map(goalList.map((g) => [g.name, g]));
