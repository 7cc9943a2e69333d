// Runs TypeScript under plain node by transpiling each .ts file with swc as it is required (no
// type-checking: `npm run typecheck` does that). cdktf.json's `app` preloads it:
//   node --require ./scripts/register-ts.js main.ts
// idpkit keeps this hook instead of @swc-node/register because that package loads the whole
// TypeScript compiler at startup to read tsconfig.json, which costs ~0.4 s and ~60 MB per synth.
// Stack traces map to the TypeScript lines with NODE_OPTIONS=--enable-source-maps.
'use strict';
const { readFileSync } = require('node:fs');
const { transformSync } = require('@swc/core');

require.extensions['.ts'] = (module, filename) => {
  const { code } = transformSync(readFileSync(filename, 'utf8'), {
    filename,
    sourceMaps: 'inline',
    module: { type: 'commonjs' },
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
  });
  module._compile(code, filename);
};
