// The jest transform of idpkit's own sources (constructs/, environments/, stacks/, cli/): swc, as
// for the tests, behind one line that hands out the worker's copy of the module instead when the
// test file shares sources (the default, test/support/shared-modules-environment.mjs). Each
// worker then loads idpkit once, with Node's `require` and scripts/register-ts.js, instead of
// once per test file. A test file whose docblock says
// `@jest-environment-options {"isolatedSources": true}` evaluates the swc output in its own
// module registry, as jest does by default (for jest.mock of an idpkit module).
'use strict';
const { createTransformer } = require('@swc/jest');

const swc = createTransformer({ jsc: { target: 'es2022' } });

module.exports = {
  process(source, filename, options) {
    const { code, map } = swc.process(source, filename, options);
    const shared = `if (globalThis.__idpkitSharedSources) { module.exports = globalThis.__idpkitWorkerRequire(${JSON.stringify(filename)}); return; }`;
    // On the first line, after a "use strict" directive: the lines stay where the source map says.
    const [first, ...rest] = code.split('\n');
    const line = first.startsWith('"use strict";') ? `"use strict"; ${shared}${first.slice('"use strict";'.length)}` : `${shared} ${first}`;
    return { code: [line, ...rest].join('\n'), map };
  },
  getCacheKey(source, filename, options) {
    return `idpkit-shared-sources-1:${swc.getCacheKey(source, filename, options)}`;
  },
};
