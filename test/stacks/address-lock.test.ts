import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ADDRESS_LOCK_FILE, ADDRESS_LOCK_SETS, AddressLock, statefulAddresses } from '../../stacks/stateful-addresses';
import { synthesizedSet } from '../support/synthesized-sets';

const lock: AddressLock = JSON.parse(readFileSync(resolve(__dirname, '../..', ADDRESS_LOCK_FILE), 'utf8'));

const HOW_TO_MOVE = `A changed construct id changes the Terraform address, and Terraform destroys the old resource and creates a new one (data lost).
- To keep the resource, move it: in code, \`newResource.moveFromId('<type>.<old name>')\` (cdktf; or \`moveTo\` with \`addMoveTarget\`), or a \`moved { from = <old>, to = <new> }\` block in the stack;
- to accept the change deliberately (a new resource, or one that may really go), run \`npm run lock:addresses\` and commit stacks/address-lock.json with a changelog note.
See docs/stacks.md, "Never destroy by accident".`;

describe.each(ADDRESS_LOCK_SETS)('address lock of the %s environment set', (set) => {
  const current = statefulAddresses(synthesizedSet(set));
  const locked = lock[set] ?? {};
  const diff = (from: Record<string, string[]>, to: Record<string, string[]>) =>
    Object.entries(from).flatMap(([stack, addresses]) => addresses.filter((address) => !(to[stack] ?? []).includes(address)).map((address) => `${stack}: ${address}`));

  test('every locked stateful address is still synthesized (no rename = no destroy and recreate)', () => {
    const missing = diff(locked, current);
    if (missing.length > 0) throw new Error(`stateful resources would be destroyed and recreated:\n  ${missing.join('\n  ')}\n${HOW_TO_MOVE}`);
  });

  test('every synthesized stateful address is in the lock (new resources need a lock update)', () => {
    const added = diff(current, locked);
    if (added.length > 0) throw new Error(`stateful resources not in ${ADDRESS_LOCK_FILE}:\n  ${added.join('\n  ')}\nIf they are new on purpose (or are the new address of a moved resource), run \`npm run lock:addresses\`.`);
  });
});
