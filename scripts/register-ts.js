// Runs TypeScript under plain node by transpiling each .ts file with swc as it is required (no
// type-checking: `npm run typecheck` does that). cdktf.json's `app` preloads it:
//   node --require ./scripts/register-ts.js main.ts
// idpkit keeps this hook instead of @swc-node/register because that package loads the whole
// TypeScript compiler at startup to read tsconfig.json, which costs ~0.4 s and ~60 MB per synth.
// Stack traces map to the TypeScript lines with NODE_OPTIONS=--enable-source-maps.
//
// Each transpiled file is kept in node_modules/.cache/idpkit-register-ts, named by a hash of the
// swc version, the options, the file's path and its text, so an edited file is transpiled again
// and an unchanged one is not (about 0.25 s of every synthesis). swc itself is loaded only when a
// file is not in the cache. Without a writable cache folder every file is transpiled, as before.
'use strict';
const { createHash } = require('node:crypto');
const { mkdirSync, readFileSync, renameSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const SWC_OPTIONS = {
  sourceMaps: 'inline',
  module: { type: 'commonjs' },
  jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
};
const CACHE_DIRECTORY = join(__dirname, '..', 'node_modules', '.cache', 'idpkit-register-ts');
const CACHE_SALT = `${require('@swc/core/package.json').version}\0${JSON.stringify(SWC_OPTIONS)}`;

/** The transpiled JavaScript of one TypeScript file, from the cache or from swc. */
function transpile(filename, source) {
  const cached = join(CACHE_DIRECTORY, `${createHash('sha256').update(`${CACHE_SALT}\0${filename}\0${source}`).digest('hex')}.js`);
  try {
    return readFileSync(cached, 'utf8');
  } catch {
    // Not transpiled yet.
  }
  const { code } = require('@swc/core').transformSync(source, { filename, ...SWC_OPTIONS });
  try {
    // Written aside, then renamed: processes running at once never read half a file.
    mkdirSync(CACHE_DIRECTORY, { recursive: true });
    const partial = `${cached}.${process.pid}`;
    writeFileSync(partial, code);
    renameSync(partial, cached);
  } catch {
    // A read-only checkout: transpile every time.
  }
  return code;
}

require.extensions['.ts'] = (module, filename) => {
  module._compile(transpile(filename, readFileSync(filename, 'utf8')), filename);
};
