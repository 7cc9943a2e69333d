import { Testing } from '../constructs/core/cdktf';

Testing.setupJest();
