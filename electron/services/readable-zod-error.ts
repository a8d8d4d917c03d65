// Turns a zod error on an argument tuple into one sentence a person can read:
// "argument 1, field steps.0.kind: expected a string" instead of a JSON dump of issues.
import type { z } from 'zod';

const describePath = (path: readonly PropertyKey[]): string => {
  if (path.length === 0) return 'the arguments';
  const [first, ...rest] = path;
  const arg = typeof first === 'number' ? `argument ${first + 1}` : `field ${String(first)}`;
  return rest.length === 0 ? arg : `${arg}, field ${rest.map(String).join('.')}`;
};

export const readableZodError = (error: z.ZodError): string => {
  const lines = error.issues.slice(0, 5).map((issue) => {
    const missing = issue.code === 'invalid_type' && /received undefined/.test(issue.message);
    return `${describePath(issue.path)}: ${missing ? `is missing (a ${issue.expected} is required)` : issue.message}`;
  });
  const more = error.issues.length > 5 ? ` (and ${error.issues.length - 5} more problems)` : '';
  return `${lines.join('; ')}${more}`;
};
