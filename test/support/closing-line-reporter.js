// A jest reporter that closes the run with one plain line, `tests: N passed, N failed, N skipped`,
// which CI systems that read a runner's closing line understand whatever the runner
// (jest's own summary says "N passed, N total"). Jest prints its summary after every reporter, so
// the line is written when the process exits: it is the last line `npm test` prints (in watch
// mode, the last run's). With IDPKIT_TEST_SUMMARY set it also writes the line to that file, so
// .ci/run can repeat it as its own closing line.
'use strict';
const { writeFileSync, writeSync } = require('node:fs');

class ClosingLineReporter {
  onRunComplete(_contexts, results) {
    const line = `tests: ${results.numPassedTests} passed, ${results.numFailedTests} failed, ${results.numPendingTests + results.numTodoTests} skipped`;
    if (this.line === undefined) process.once('exit', () => writeSync(1, `${this.line}\n`));
    this.line = line;
    if (process.env.IDPKIT_TEST_SUMMARY) writeFileSync(process.env.IDPKIT_TEST_SUMMARY, `${line}\n`);
  }
}

module.exports = ClosingLineReporter;
