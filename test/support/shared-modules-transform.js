// A jest transform for the packages jest.config.js shares between test files (cdktf, constructs,
// the provider bindings): instead of evaluating a package's module again for every test file,
// the test file gets the worker's one copy, through test/support/shared-modules-environment.mjs.
'use strict';

module.exports = {
  process(_source, filename) {
    return { code: `module.exports = globalThis.__idpkitWorkerRequire(${JSON.stringify(filename)});` };
  },
  getCacheKey(_source, filename) {
    return `idpkit-shared-modules-1:${filename}`;
  },
};
