/** Jest runs TypeScript through swc (no type-checking: `npm run typecheck` does that). */
module.exports = {
  testEnvironment: 'node',
  // Jest's default (cores - 1) runs one worker on a 2-core machine: two halve the suite's time.
  maxWorkers: 2,
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
  setupFilesAfterEnv: ['<rootDir>/test/setup.ts'],
};
