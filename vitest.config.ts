import { defineConfig } from 'vitest/config';

// One project per test tier; `npm test` (test/run-all.sh) runs them all, each also runs alone.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          environment: 'node',
          // Many unit tests run real programs (virsh's test driver, the built CLI, the handoff runtime on a
          // fake tree): vitest's 5 s default is short for them on a loaded 2-core CI machine.
          testTimeout: 60000,
          hookTimeout: 120000,
        },
      },
      {
        test: {
          name: 'renderer',
          include: ['test/renderer/**/*.test.{ts,tsx}'],
          environment: 'happy-dom',
        },
      },
      {
        test: {
          name: 'helper',
          include: ['test/helper/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60000,
          hookTimeout: 120000,
        },
      },
      {
        test: {
          name: 'libvirt',
          include: ['test/libvirt/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120000,
          hookTimeout: 120000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'kernel',
          include: ['test/kernel/**/*.test.ts'],
          environment: 'node',
          // beforeAll boots three guests one after another, each allowed 600 s (test/kernel/boot.sh)
          testTimeout: 900000,
          hookTimeout: 2400000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 180000,
          hookTimeout: 180000,
          fileParallelism: false,
          // expect.poll's 1 s default is short for a page or a daemon on a loaded 2-core CI machine.
          expect: { poll: { timeout: 60000 } },
        },
      },
    ],
  },
});
