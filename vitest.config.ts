import { defineConfig } from 'vitest/config';

// Two projects: the widget's modules run in a DOM (jsdom), everything server-side in plain Node.
export default defineConfig({
  // As the ES module build sets them: lazily loaded modules come through the bundler, not from the gateway.
  define: { __SCRIPT_TAG__: 'false', __QR_FILE__: '""', __PAY_FILE__: '""' },
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  test: {
    projects: [
      {
        extends: true,
        // Property tests run thousands of cases; a busy 2-core machine needs more than the default 5 s.
        test: { name: 'widget', environment: 'jsdom', include: ['src/**/*.test.{ts,tsx}'], testTimeout: 20000 },
      },
      {
        extends: true,
        test: {
          name: 'server',
          environment: 'node',
          include: ['server-sign/**/*.test.ts', 'gateway/**/*.test.ts', 'demo/**/*.test.ts', 'docs/**/*.test.ts', 'scripts/**/*.test.ts', 'bench/**/*.test.ts'],
          testTimeout: 20000,
          // One throwaway PostgreSQL for the store tests, removed at the end.
          globalSetup: ['gateway/testing/postgres-setup.ts'],
        },
      },
    ],
  },
});
