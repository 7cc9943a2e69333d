// Declares the types of cdktf's jest matchers (toHaveResourceWithProperties, ...).
import 'cdktf/lib/testing/adapters/jest';
import { Testing } from '../constructs/core/cdktf';
// eslint-disable-next-line @typescript-eslint/no-require-imports
import creationStackModule = require('cdktf/lib/tokens/private/stack-trace');

// cdktf is loaded once per worker, outside the test file's realm (jest.config.js): its matchers
// are registered on this test file's `expect`, which it reads from the global it runs in.
(globalThis as { __idpkitWorkerGlobal?: { expect?: unknown } }).__idpkitWorkerGlobal!.expect = expect;
Testing.setupJest();

// cdktf records the call stack of every token it makes (its creation stack, shown when the token
// fails to resolve): in a test that builds stacks that is more than half its CPU. Tests build them
// as synthesizePlatform does, without creation stacks. A test file that needs them (to test them,
// or to see where an unresolved token was made) says `@jest-environment-options
// {"creationStacks": true}` in its docblock; IDPKIT_TEST_CREATION_STACKS=1 turns them on for every
// file. They are then formatted by Node's own formatter, not jest's source-mapped one, as outside
// jest (JavaScript positions, not TypeScript lines). cdktf is shared by a worker's test files
// (jest.config.js), so each file sets them again.
type CreationStacks = { captureStackTrace: (below?: unknown) => string[]; recorded?: (below?: unknown) => string[] };
const creationStacks = creationStackModule as CreationStacks;
if (!creationStacks.recorded) {
  const workerError = (globalThis as unknown as { __idpkitWorkerGlobal: { Error: { prepareStackTrace?: ErrorConstructor['prepareStackTrace'] } } }).__idpkitWorkerGlobal.Error;
  const capture = creationStacks.captureStackTrace;
  const nodeFormatted = (below?: unknown): string[] => {
    const jestFormat = workerError.prepareStackTrace;
    workerError.prepareStackTrace = undefined;
    try {
      return capture(below ?? nodeFormatted);
    } finally {
      workerError.prepareStackTrace = jestFormat;
    }
  };
  creationStacks.recorded = nodeFormatted;
}
const creationStacksWanted = (globalThis as { __idpkitCreationStacks?: boolean }).__idpkitCreationStacks === true || process.env.IDPKIT_TEST_CREATION_STACKS === '1';
creationStacks.captureStackTrace = creationStacksWanted ? creationStacks.recorded : () => [];
