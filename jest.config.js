/**
 * Jest runs TypeScript through swc (no type-checking: `npm run typecheck` does that).
 *
 * The packages SHARED_PACKAGES names are stateless libraries that are slow to load (cdktf and the
 * provider bindings take about a second per test file): each worker loads them once, with Node's
 * own `require`, and every test file it runs gets that copy (test/support/shared-modules-*).
 * idpkit's own modules still load fresh for every test file, so tests stay independent.
 */
const SHARED_PACKAGES = ['cdktf', 'constructs', '@cdktf'];
const shared = `/node_modules/(${SHARED_PACKAGES.join('|')})/`;

module.exports = {
  testEnvironment: '<rootDir>/test/support/shared-modules-environment.mjs',
  // Jest's default (cores - 1) runs one worker on a 2-core machine: two halve the suite's time.
  maxWorkers: 2,
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }],
    [`${shared}.+\\.js$`]: '<rootDir>/test/support/shared-modules-transform.js',
  },
  transformIgnorePatterns: [`/node_modules/(?!(${SHARED_PACKAGES.join('|')})/)`],
  setupFilesAfterEnv: ['<rootDir>/test/setup.ts'],
};
