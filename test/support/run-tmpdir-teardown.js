// Jest's globalTeardown: removes the run's own temporary directory (run-tmpdir-setup.js).
'use strict';
const { rmSync } = require('node:fs');

module.exports = async function teardown() {
  rmSync(process.env.IDPKIT_TEST_RUN_TMPDIR, { recursive: true, force: true });
  if (process.env.IDPKIT_TEST_SYSTEM_TMPDIR) process.env.TMPDIR = process.env.IDPKIT_TEST_SYSTEM_TMPDIR;
  else delete process.env.TMPDIR;
};
