// Renderer build: one static bundle in dist/renderer, relative base so it loads from file:// (Electron)
// and from the loopback server (browser mode) alike.
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// URLs instead of node:path: the renderer folder lints as browser code.
const here = decodeURIComponent(new URL('.', import.meta.url).pathname);

export default defineConfig({
  root: here,
  base: './',
  plugins: [react()],
  build: {
    outDir: decodeURIComponent(new URL('../dist/renderer', import.meta.url).pathname),
    emptyOutDir: true,
    sourcemap: false,
    target: 'es2022',
  },
});
