// The jest test environment of idpkit's tests: jest's node environment, plus the worker's own
// (Node's) `require`, so that the packages jest.config.js shares are loaded once per worker
// instead of once per test file (test/support/shared-modules-transform.js hands them out).
import { createRequire } from 'node:module';
import { TestEnvironment } from 'jest-environment-node';

const workerRequire = createRequire(import.meta.url);

export default class SharedModulesEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    this.global.__idpkitWorkerRequire = workerRequire;
    this.global.__idpkitWorkerGlobal = globalThis;
  }
}
