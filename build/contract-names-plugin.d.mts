// Types for build/contract-names-plugin.mjs (imported by a test written in TypeScript).
import type { Plugin } from 'esbuild';

export declare const contractNamesOnly: Plugin;
