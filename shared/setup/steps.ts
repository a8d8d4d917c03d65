// Small constructors for the plan steps setup planners produce; an edit that changes nothing is no step.
import type { EditFileStep, RemoveFileStep, RunStep, Step, WriteFileStep } from '../plan/model';

export const editStep = (path: string, before: string, after: string, reason: string): EditFileStep[] =>
  before === after ? [] : [{ kind: 'edit-file', path, before, after, reason }];

/** A root-owned 0644 configuration file; `before` null means it must not exist yet. */
export const writeStep = (
  path: string,
  content: string,
  before: string | null,
  reason: string,
): WriteFileStep[] =>
  before === content
    ? []
    : [{ kind: 'write-file', path, content, mode: 0o644, owner: 'root', group: 'root', before, reason }];

export const removeStep = (path: string, before: string, reason: string): RemoveFileStep => ({
  kind: 'remove-file',
  path,
  before,
  reason,
});

export const runStep = (argv: string[], reason: string): RunStep => ({ kind: 'run', argv, reason });

/** Paths of files some step writes, edits or removes. */
export const touchedPaths = (steps: Step[]): string[] =>
  steps.flatMap((s) =>
    s.kind === 'write-file' || s.kind === 'edit-file' || s.kind === 'remove-file' ? [s.path] : [],
  );
