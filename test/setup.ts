// Declares the types of cdktf's jest matchers (toHaveResourceWithProperties, ...).
import 'cdktf/lib/testing/adapters/jest';
import { Testing } from '../constructs/core/cdktf';

// cdktf is loaded once per worker, outside the test file's realm (jest.config.js): its matchers
// are registered on this test file's `expect`, which it reads from the global it runs in.
(globalThis as { __idpkitWorkerGlobal?: { expect?: unknown } }).__idpkitWorkerGlobal!.expect = expect;
Testing.setupJest();
