import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { environmentSets, validateEnvironments } from '../../environments';
import { synthesizePlatform } from '../../stacks/app';
import { ADDRESS_LOCK_FILE, ADDRESS_LOCK_SETS, AddressLock, statefulAddresses } from '../../stacks/stateful-addresses';

const lock: AddressLock = JSON.parse(readFileSync(resolve(__dirname, '../..', ADDRESS_LOCK_FILE), 'utf8'));

const HOW_TO_MOVE = `A changed construct id changes the Terraform address, and Terraform destroys the old resource and creates a new one (data lost).
- To keep the resource, move it: in code, \`newResource.moveFromId('<type>.<old name>')\` (cdktf; or \`moveTo\` with \`addMoveTarget\`), or a \`moved { from = <old>, to = <new> }\` block in the stack;
- to accept the change deliberately (a new resource, or one that may really go), run \`npm run lock:addresses\` and commit stacks/address-lock.json with a changelog note.
See docs/stacks.md, "Never destroy by accident".`;

describe.each(ADDRESS_LOCK_SETS)('address lock of the %s environment set', (set) => {
  const outdir = mkdtempSync(join(tmpdir(), `idpkit-lock-${set}-`));
  synthesizePlatform({ environments: environmentSets[set], outdir });
  const current = statefulAddresses(outdir);
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

  /** Stateful types without `prevent_destroy` in prod on purpose. */
  const EXCEPTIONS: Readonly<Record<string, string>> = {
    helm_release: 'add-ons are installed and removed by configuration; their data lives in PVCs and cloud storage, which are protected',
    kubernetes_namespace_v1: "an add-on's namespace goes with the add-on; removing an add-on must stay possible",
    aws_eks_node_group: 'node groups are replaced on instance type or AMI changes; they hold no data',
    azurerm_kubernetes_cluster_node_pool: 'node pools are replaced on VM size changes; they hold no data',
    google_container_node_pool: 'node pools are replaced on machine type changes; they hold no data',
  };
  test('prod stateful resources carry lifecycle.prevent_destroy, except the listed types', () => {
    const prod = validateEnvironments(environmentSets[set]).filter((env) => env.tier === 'prod').map((env) => env.name);
    const prodStacks = Object.keys(locked).filter((stack) => prod.some((name) => stack === `${name}-infra` || stack === `${name}-platform`));
    const unprotected = prodStacks.flatMap((stack) => {
      const json = JSON.parse(readFileSync(join(outdir, 'stacks', stack, 'cdk.tf.json'), 'utf8'));
      return (current[stack] ?? [])
        .map((address) => address.split('.'))
        .filter(([type, name]) => !EXCEPTIONS[type] && json.resource[type][name].lifecycle?.prevent_destroy !== true)
        .map(([type, name]) => `${stack}: ${type}.${name}`);
    });
    expect(unprotected).toEqual([]);
  });
});
