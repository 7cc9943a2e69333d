/**
 * `npm run lock:addresses`: rewrites stacks/address-lock.json from a fresh synthesis. Run it only
 * to accept address changes deliberately (see docs/stacks.md, "Never destroy by accident").
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ADDRESS_LOCK_FILE, computeAddressLock } from '../stacks/stateful-addresses';

writeFileSync(join(__dirname, '..', ADDRESS_LOCK_FILE), `${JSON.stringify(computeAddressLock(), null, 2)}\n`);
console.log(`wrote ${ADDRESS_LOCK_FILE}`);
