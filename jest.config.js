/**
 * Jest runs TypeScript through swc (no type-checking: `npm run typecheck` does that).
 *
 * The packages SHARED_PACKAGES names are stateless libraries that are slow to load (cdktf and the
 * provider bindings take about a second per test file): each worker loads them once, with Node's
 * own `require`, and every test file it runs gets that copy (test/support/shared-modules-*).
 * idpkit's own sources (SHARED_SOURCES) load once per worker too, and so use the worker's copy of
 * every package they import; a file that needs its own copy says so in its docblock
 * (docs/architecture.md, "Toolchain"). Shared objects come from the worker's realm, so
 * `util.isDeepStrictEqual` (which compares prototypes) never sees them equal to a test's literals:
 * compare with `toEqual`. `yaml` is shared too: a copy per test file ran its parser cold in each of
 * the 38 files that import it (about 5 s of the suite's CPU).
 */
const SHARED_PACKAGES = ['cdktf', 'constructs', '@cdktf', 'zod', 'ajv', 'ajv-formats', 'commander', 'cli-table3', '@backstage', 'nunjucks', '@cloud-copilot', 'yaml'];
/** idpkit's own sources, loaded once per worker too (test/support/shared-sources-transform.js). */
const SHARED_SOURCES = ['constructs', 'environments', 'stacks', 'cli'];
const root = __dirname.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const shared = `/node_modules/(${SHARED_PACKAGES.join('|')})/`;

module.exports = {
  testEnvironment: '<rootDir>/test/support/shared-modules-environment.mjs',
  // Jest's default (cores - 1) runs one worker on a 2-core machine: two halve the suite's time.
  maxWorkers: 2,
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    [`^${root}/(${SHARED_SOURCES.join('|')})/.+\\.ts$`]: '<rootDir>/test/support/shared-sources-transform.js',
    '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }],
    [`${shared}.+\\.c?js$`]: '<rootDir>/test/support/shared-modules-transform.js',
  },
  transformIgnorePatterns: [`/node_modules/(?!(${SHARED_PACKAGES.join('|')})/)`],
  setupFilesAfterEnv: ['<rootDir>/test/setup.ts'],
  // A temporary directory of the run's own, removed at its end (test/support/run-tmpdir-setup.js).
  globalSetup: '<rootDir>/test/support/run-tmpdir-setup.js',
  globalTeardown: '<rootDir>/test/support/run-tmpdir-teardown.js',
  reporters: ['default', '<rootDir>/test/support/closing-line-reporter.js'],
};
