// The goal registry: every kind of plan GPU Ferry can make, by name. `gpu-ferry plan <goal>`, the
// app's plan screens and the apply-then-undo round-trip test all come from this one table.
// A goal's planner is pure: host model + validated options → Plan.
import type { z } from 'zod';
import type { HostModel } from '../host/model';
import type { Plan } from './model';

export interface GoalDefinition<Schema extends z.ZodType = z.ZodType> {
  name: string;
  summary: string;
  /** Options, validated before planning (CLI flags and IPC arguments both go through it). */
  options: Schema;
  /** CLI flag name → option key, e.g. { '--gpu': 'gpu', '--remove': 'remove' } (boolean flags take no value). */
  flags: Record<string, { key: string; boolean?: boolean }>;
  plan: (host: HostModel, options: z.infer<Schema>) => Plan;
  /**
   * Option sets to exercise in the apply-then-undo round-trip test on a given fixture host; return []
   * where the goal does not apply to that host.
   */
  examples: (host: HostModel) => z.infer<Schema>[];
}

/** Filled in by goals.registry.ts, which imports every planner (kept separate so planners can import this type). */
export const defineGoal = <S extends z.ZodType>(goal: GoalDefinition<S>): GoalDefinition => goal as unknown as GoalDefinition;
