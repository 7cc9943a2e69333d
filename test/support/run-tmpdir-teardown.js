// Jest's globalTeardown: removes the run's own temporary directory (run-tmpdir-setup.js). A run
// leaves about 30,000 entries there, which take a second to remove: a detached Node process
// removes them, so the run does not wait for it.
'use strict';
const { spawn } = require('node:child_process');

module.exports = async function teardown() {
  const remover = spawn(process.execPath, ['-e', 'require("node:fs").rmSync(process.argv[1], { recursive: true, force: true })', process.env.IDPKIT_TEST_RUN_TMPDIR], { detached: true, stdio: 'ignore' });
  remover.unref();
  if (process.env.IDPKIT_TEST_SYSTEM_TMPDIR) process.env.TMPDIR = process.env.IDPKIT_TEST_SYSTEM_TMPDIR;
  else delete process.env.TMPDIR;
};
