// Declares the types of cdktf's jest matchers (toHaveResourceWithProperties, ...).
import 'cdktf/lib/testing/adapters/jest';
import { Testing } from '../constructs/core/cdktf';

Testing.setupJest();
