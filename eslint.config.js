// Lint, and the layering rule of ../shared/DESIGN.md: renderer → shared ← electron.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const nodeBuiltins = ['node:*', 'fs', 'fs/*', 'path', 'os', 'child_process', 'crypto', 'util', 'url', 'stream', 'net', 'http', 'events'];
const noRemote = { group: ['@electron/remote', '@electron/remote/*'], message: '@electron/remote is ruled out by the design.' };

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'test-results/**', 'bench-results/**', 'out/**', '.cache/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': ['error', { patterns: [noRemote] }],
    },
  },
  { files: ['**/*.cjs'], languageOptions: { sourceType: 'commonjs' }, rules: { '@typescript-eslint/no-require-imports': 'off' } },
  {
    files: ['shared/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            noRemote,
            { group: nodeBuiltins, message: 'shared/ is pure: no Node imports (DESIGN.md layers).' },
            { group: ['electron', 'electron/*'], message: 'shared/ must not import Electron.' },
            { group: ['react', 'react-dom', 'react/*', 'zustand', 'zustand/*'], message: 'shared/ must not import React.' },
            { group: ['**/electron/**', '**/renderer/**'], message: 'shared/ imports only shared/.' },
          ],
        },
      ],
    },
  },
  {
    files: ['renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            noRemote,
            { group: nodeBuiltins, message: 'The renderer has no Node.' },
            { group: ['electron', 'electron/*'], message: 'The renderer talks only to the IPC contract.' },
            { group: ['**/electron/**'], message: 'renderer/ must not import from electron/.' },
          ],
        },
      ],
    },
  },
);
