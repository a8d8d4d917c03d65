// The hook-install plan carries the scripts' content: it must be the current content of the files.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { hookScript, runtimeScript } from '../../../shared/handoff/runtime-files.generated';

describe('embedded runtime files', () => {
  it('match resources/ (regenerate: node resources/handoff/embed.mjs)', () => {
    expect(runtimeScript).toBe(readFileSync('resources/handoff/gpu-ferry-handoff', 'utf8'));
    expect(hookScript).toBe(readFileSync('resources/hooks/gpu-ferry', 'utf8'));
  });
});
