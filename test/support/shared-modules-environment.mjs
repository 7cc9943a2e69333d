// The jest test environment of idpkit's tests: jest's node environment, plus the worker's own
// (Node's) `require`, so that the packages jest.config.js shares and idpkit's own sources are
// loaded once per worker instead of once per test file (test/support/shared-modules-transform.js
// and shared-sources-transform.js hand them out).
//
// Shared sources run in the worker's realm and read the worker's `process.env`: the test file's
// `process.env` is that same object, and what a test file changes in it is put back when the file
// ends, as jest's own copy would be dropped.
import { createRequire } from 'node:module';
import { TestEnvironment } from 'jest-environment-node';

const workerRequire = createRequire(import.meta.url);
// idpkit's .ts sources, loaded by the worker's require, are transpiled by the repository's hook.
workerRequire('../../scripts/register-ts.js');
process.setSourceMapsEnabled(true);

export default class SharedModulesEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    // IDPKIT_TEST_ISOLATED_SOURCES=1 gives every test file its own idpkit, as jest does by default (to rule out a leak between files).
    const isolated = config.projectConfig.testEnvironmentOptions?.isolatedSources === true || process.env.IDPKIT_TEST_ISOLATED_SOURCES === '1';
    this.global.__idpkitWorkerRequire = workerRequire;
    this.global.__idpkitWorkerGlobal = globalThis;
    this.global.__idpkitSharedSources = !isolated;
    // Whether cdktf records token creation stacks for this file (test/setup.ts).
    this.global.__idpkitCreationStacks = config.projectConfig.testEnvironmentOptions?.creationStacks === true;
    if (!isolated) {
      this.environmentBefore = { ...process.env };
      this.global.process.env = process.env;
    }
  }

  async teardown() {
    if (this.environmentBefore) {
      for (const name of Object.keys(process.env)) if (!(name in this.environmentBefore)) delete process.env[name];
      Object.assign(process.env, this.environmentBefore);
    }
    await super.teardown();
  }
}
