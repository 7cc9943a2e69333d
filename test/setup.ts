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
// fails to resolve). Jest formats every stack read in the worker through its source maps, frame by
// frame: for cdktf's full-depth stacks that is about half the CPU of a test that builds a stack.
// Creation stacks are formatted by Node's own formatter instead, as outside jest (JavaScript
// positions, not TypeScript lines); every other stack keeps jest's. Once per worker: cdktf is
// shared by its test files.
type CreationStacks = { captureStackTrace: (below?: unknown) => string[]; nodeFormatted?: true };
const creationStacks = creationStackModule as CreationStacks;
if (!creationStacks.nodeFormatted) {
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
  creationStacks.captureStackTrace = nodeFormatted;
  creationStacks.nodeFormatted = true;
}
