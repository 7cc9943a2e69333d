// Jest's globalSetup (run-tmpdir-teardown.js is its teardown): each run gets a temporary
// directory of its own, as TMPDIR for the workers and every process they start, removed when the
// run ends. The suite makes thousands of temporary directories (synthesized outdirs, CLI
// projects, the kill tests' children, which cannot clean up after themselves); without this they
// stay in the system's temporary directory. The shared syntheses (test/support/synthesized-sets.ts)
// stay in the system's temporary directory, for the next run: IDPKIT_TEST_CACHE names it. A run
// that was interrupted leaves its directory; the next run removes those over a day old.
'use strict';
const { mkdtempSync, readdirSync, rmSync, statSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

const PREFIX = 'idpkit-test-run-';
const DAY_MS = 86_400_000;

async function setup() {
  const system = tmpdir();
  for (const name of readdirSync(system)) {
    if (!name.startsWith(PREFIX)) continue;
    const path = join(system, name);
    if (Date.now() - (statSync(path, { throwIfNoEntry: false })?.mtimeMs ?? Date.now()) > DAY_MS) rmSync(path, { recursive: true, force: true });
  }
  process.env.IDPKIT_TEST_CACHE ??= join(system, 'idpkit-test-synth');
  process.env.IDPKIT_TEST_RUN_TMPDIR = mkdtempSync(join(system, PREFIX));
  process.env.IDPKIT_TEST_SYSTEM_TMPDIR = process.env.TMPDIR ?? '';
  process.env.TMPDIR = process.env.IDPKIT_TEST_RUN_TMPDIR;
}

module.exports = setup;
