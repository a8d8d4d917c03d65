// Small constructors for the plan steps setup planners produce; an edit that changes nothing is no step.
import type { EditFileStep, RemoveFileStep, RunStep, RunUndo, Step, WriteFileStep } from '../plan/model';

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

/** A command; `undo` says how undo reverses its effect (see RunUndo), absent when nothing needs reversing. */
export const runStep = (argv: string[], reason: string, undo?: RunUndo): RunStep =>
  undo === undefined ? { kind: 'run', argv, reason } : { kind: 'run', argv, reason, undo };

/** A regenerator whose output derives from files (grub.cfg, initramfs images): undo runs it again once they are back. */
export const regenerateStep = (argv: string[], reason: string): RunStep => runStep(argv, reason, 'rerun');

/** Paths of files some step writes, edits or removes. */
export const touchedPaths = (steps: Step[]): string[] =>
  steps.flatMap((s) =>
    s.kind === 'write-file' || s.kind === 'edit-file' || s.kind === 'private-edit' || s.kind === 'remove-file' ? [s.path] : [],
  );
