import { defineConfig } from 'vitest/config';

// The root config is Vitest's: unit tests live beside the code in every package and run in Node.
// Each package's own vite.config.ts builds it; the e2e scenario server has its own in e2e/.
export default defineConfig({
  test: {
    include: [
      '.ci/*.test.ts',
      'packages/*/src/**/*.test.ts',
      'demo/src/**/*.test.ts',
      'demo/*.test.ts',
      'demo/bench/*.test.ts',
    ],
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
});
