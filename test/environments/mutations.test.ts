/**
 * A corpus of mutations of the shipped environments (IDPKIT_ENVIRONMENT_SET=all), each a value a
 * cloud would refuse or input that used to crash, with the field its error must name. Every one
 * must raise an IdpkitError naming that field: 0 accepted, 0 crashes (docs/reliability.md).
 */
import { IdpkitError } from '../../constructs/core/errors';
import { environmentSets, validateEnvironment } from '../../environments';
import { clone } from '../helpers';

type Config = Record<string, any>;

/** One mutation: what it does, the field the error names, and the change. */
interface Mutation {
  readonly name: string;
  readonly field: string;
  readonly apply: (config: Config) => void;
}

const set = (field: string, value: unknown, name = `${field} = ${JSON.stringify(value)?.slice(0, 40)}`): Mutation => ({
  name,
  field,
  apply: (config) => {
    const keys = field.replace(/\[(\d+)\]/g, '.$1').split('.');
    const parent = keys.slice(0, -1).reduce((node, key) => node[key], config);
    parent[keys.at(-1)!] = value;
  },
});

/** Sets `cluster.nodeGroups[0]` to name `instanceTypes` instead of a size. */
const instanceTypes = (types: unknown[]): Mutation => ({
  name: `instanceTypes = ${JSON.stringify(types).slice(0, 40)}`,
  field: 'cluster.nodeGroups[0].instanceTypes',
  apply: (config) => {
    const group = config.cluster.nodeGroups[0];
    delete group.size;
    group.instanceTypes = types;
  },
});

const deep = (levels: number): unknown => {
  const root: Config = {};
  let node = root;
  for (let i = 0; i < levels; i++) node = node.a = {};
  return root;
};
const cyclic = (): unknown => {
  const node: Config = { a: {} };
  node.a.back = node;
  return node;
};
const manyTags = (count: number) => Object.fromEntries(Array.from({ length: count }, (_, i) => [`extra-${i}`, 'x']));

const NETWORK_CIDRS = [
  '010.010.000.000/16', '224.0.0.0/16', '169.254.0.0/16', '127.0.0.0/16', '0.0.0.0/16', '8.8.0.0/16', '255.255.0.0/16',
  '240.0.0.0/16', '192.0.2.0/24', '10.0.0.0/33', '10.10.0.1/16', '10.0.0.0/8', '10.0.0.0/24', '', ' 10.0.0.0/16', '10.0.0.0/16 ',
  '10.0.0.0', 'ten/8', '10.0.0.0/016', '10.0.0.0/-1', '172.15.0.0/16', '100.63.0.0/16', '1.2.3.4.5/16', '10.0.0.0/16/1',
];
const SOURCE_CIDRS = ['10.0.0.0/8', '127.0.0.1/32', '169.254.0.0/16', '224.0.0.0/4', '240.0.0.0/4', '0.0.0.0/8', '203.0.113.01/32', '1.2.3.4/24', '192.168.1.0/24'];
const CRONS = ['99 99 * * *', '0 20 * *', '0 20 * * * *', '0 0 31 2 *', '0 20 ? * MON', '0 20 L * *', 'MON * * * *', '0 25 * * *', '*/0 * * * *', '0 20 * 13 *', ''];
const TIME_ZONES = ['Mars/Olympus_Mons', 'europe/berlin', 'UTC+1', '', 'Europe/Berlin ', '+01:00', 'Europe', 'Etc/GMT+99'];
const MACHINE_TYPES: Record<string, unknown[][]> = {
  common: [['m7i.metal-48xl'], ['m7i.lage'], ['M6I.LARGE'], ['constructor'], ['__proto__'], [''], ['x'.repeat(300)], ['standard_d4s_v5'], ['e2-standard-3']],
  aws: [['Standard_D4s_v5'], ['e2-standard-4'], ['m6i.large', 'm6i.huge'], ['t3.large', 'm7g.large'], ['u-24tb1.metal']],
  azure: [['m6i.large'], ['e2-standard-4'], ['Standard_D4s_v9'], ['Standard_M416ms_v2']],
  gcp: [['m6i.large'], ['Standard_D4s_v5'], ['e2-custom-0-1024'], ['zz-custom-4-8192'], ['c3-standard-176']],
};
const TAGS: Record<string, Mutation[]> = {
  common: [
    set('tags', { owner: 'someone' }, 'tags.owner overrides a standard tag'),
    set('tags', { 'managed-by': 'me' }, 'tags.managed-by overrides a standard tag'),
    set('tags', { environment: 'x' }, 'tags.environment overrides a standard tag'),
    set('tags', { '': 'empty key' }, 'empty tag key'),
    set('tags', { ' ': 'blank key' }, 'blank tag key'),
    set('tags', { big: 'x'.repeat(300) }, '300-character tag value'),
    set('tags', manyTags(60), '60 extra tags'),
    set('tags', { team: 1 }, 'a tag value that is a number'),
    set('tags', 'owner=me', 'tags as a string'),
  ],
  aws: [
    set('tags', { 'aws:createdBy': 'me' }, 'reserved aws: prefix'),
    set('tags', { 'AWS:Team': 'x' }, 'reserved AWS: prefix, any case'),
    set('tags', { team: 'a&b' }, 'a character AWS tags refuse in a value'),
    set('tags', { 'team#1': 'x' }, 'a character AWS tags refuse in a key'),
    set('tags', { ['k'.repeat(129)]: 'x' }, '129-character key'),
    set('tags', manyTags(41), '41 extra tags (50 with the standard and per-resource ones)'),
    set('owner', 'a'.repeat(257), '257-character owner (a tag value)'),
    set('costCenter', 'cc<1>', 'costCenter with characters AWS tags refuse'),
  ],
  azure: [
    set('tags', { 'a<b': 'x' }, 'Azure refuses < in tag keys'),
    set('tags', { 'a/b': 'x' }, 'Azure refuses / in tag keys'),
    set('tags', { 'a?b': 'x' }, 'Azure refuses ? in tag keys'),
    set('tags', { 'a%b': 'x' }, 'Azure refuses % in tag keys'),
    set('tags', { ['k'.repeat(513)]: 'x' }, '513-character key'),
    set('tags', { Team: 'a', team: 'b' }, 'keys equal ignoring case'),
    set('tags', { 'Cost-Center': 'x' }, 'cost-center in another case'),
    set('owner', 'a'.repeat(257), '257-character owner (a tag value)'),
  ],
  gcp: [
    set('tags', { ['k'.repeat(64)]: 'x' }, '64-character label key'),
    set('tags', { ['1'.repeat(62)]: 'x' }, 'key cut once prefixed with x-'),
    set('tags', { team: 'v'.repeat(64) }, '64-character label value'),
    set('tags', { 'A B': '1', 'a-b': '2' }, 'two tags become one label'),
    set('tags', { 'Cost Center': 'x' }, 'becomes the standard cost-center label'),
    set('tags', manyTags(57), '57 extra labels'),
    set('owner', 'a'.repeat(64), '64-character owner (a label value)'),
  ],
};
const S3_BUCKETS = [
  'idpkit..state', '192.168.1.1', '010.1.1.1', 'xn--state', 'state-s3alias', 'state--ol-s3', 'sthree-state', 'amzn-s3-demo-state', 'state.mrap', 'state--x-s3',
  'state--table-s3', 'ab', 'A-bucket', 'bucket-', '-bucket', 'b'.repeat(64), 'my_bucket', 'bucket.', 'buc ket', '',
];
const GCS_BUCKETS = ['goog-state', 'my-google-state', 'g00gle-state', 'googl1e', '10.0.0.1', 'a..b', 'ab', '-x-y', 'UPPER', 'x'.repeat(64), 'state!'];
const STORAGE_ACCOUNTS = ['ab', 'Idpkit', 'idpkit-state', 'x'.repeat(25), 'idpkit_state', ''];
const CONTAINERS = ['a--b', '-ab', 'AB', 'ab', 'ab-', 'x'.repeat(64)];
const RESOURCE_GROUPS = ['rg.', 'rg/x', '', 'x'.repeat(91), 'rg#1'];
const PROJECT_IDS = ['my-google-project', 'acme-ssl-prod', 'project-', '1project', 'short', 'Upper-case', 'x'.repeat(31), 'acme_idp'];

/** Input that used to crash or slip through, whatever the cloud. */
const STRUCTURE: Mutation[] = [
  set('platform.addons', JSON.parse('{"__proto__": {"falco": {"enabled": true}}}'), 'platform.addons.__proto__ enables an add-on'),
  set('platform.addons', JSON.parse('{"constructor": {"enabled": true}}'), 'platform.addons.constructor'),
  set('platform.addons', JSON.parse('{"prototype": {"enabled": true}}'), 'platform.addons.prototype'),
  set('tags', JSON.parse('{"__proto__": {"owner": "x"}}'), 'tags.__proto__'),
  set('tags', JSON.parse('{"constructor": "x"}'), 'tags.constructor'),
  set('cluster.terraformOverrides', JSON.parse('{"__proto__": {"x": 1}}'), 'terraformOverrides.__proto__'),
  set('cluster.terraformOverrides', { a: deep(100) }, 'terraformOverrides nested 100 deep'),
  set('cluster.terraformOverrides', { a: deep(100_000) }, 'terraformOverrides nested 100000 deep'),
  set('cluster.terraformOverrides', cyclic(), 'terraformOverrides with a cycle'),
  set('network', Object.create({ cidr: '10.0.0.0/16' }) as unknown, 'network inherits its fields'),
  set('network', new Map([['cidr', '10.0.0.0/16']]), 'network as a Map'),
  set('network', null),
  set('cluster', null),
  set('cluster', []),
  set('name', null),
  set('name', '1dev', 'a name starting with a digit (it starts database and resource names)'),
  set('name', 'Dev'),
  set('name', 'x'.repeat(21)),
  set('name', { toString: 'dev' }),
  set('cloud', 'constructor'),
  set('tier', '__proto__'),
  set('size', 'toString'),
  // An unknown field is named in its object: `network {...} has unknown field(s) unknownField`.
  { ...set('unknownField', 1, 'unknown top-level field'), field: 'has unknown field(s) unknownField' },
  { ...set('network.unknownField', 1, 'unknown network field'), field: 'network' },
  { ...set('cluster.nodeGroups[0].unknownField', 1, 'unknown node group field'), field: 'cluster.nodeGroups[0]' },
  ...[{ 'kubernetes.io/role': 'x' }, { 'node.k8s.io/x': 'y' }, { 'a b': 'c' }, { team: 'a b' }, { ['k'.repeat(64)]: 'v' }, { team: 'v'.repeat(64) }, { 'Example.com/x': 'y' }, { '/x': 'y' }, { '-x': 'y' }].map((labels) => ({
    ...set('cluster.nodeGroups[0].labels', labels, `node label ${JSON.stringify(labels).slice(0, 30)}`),
    field: `cluster.nodeGroups[0].labels.${Object.keys(labels)[0]}`,
  })),
  { ...set('platform.addons.notAnAddon', { enabled: true }, 'unknown add-on'), field: 'platform.addons' },
  { ...set('platform.addons.certManager.unknownField', 1, 'unknown add-on field'), field: 'platform.addons.certManager' },
  set('budget.monthlyLimit', Number.NaN),
  set('budget.monthlyLimit', Number.POSITIVE_INFINITY),
  set('budget.monthlyLimit', BigInt(5) as unknown, 'budget.monthlyLimit as a BigInt'),
  set('registry.repositories', ['a'], 'a one-character repository (ECR takes 2 or more)'),
  set('registry.repositories', ['Platform/Backstage'], 'uppercase repository'),
  set('registry.repositories', ['platform//backstage'], 'empty path part'),
];

/** The mutations of one environment: every kind, with the cloud's own ones. */
function mutationsOf(config: Config): Mutation[] {
  const cloud = config.cloud as string;
  const state: Mutation[] =
    cloud === 'aws'
      ? S3_BUCKETS.map((bucket) => set('state.bucket', bucket))
      : cloud === 'gcp'
        ? GCS_BUCKETS.map((bucket) => set('state.bucket', bucket))
        : [
            ...STORAGE_ACCOUNTS.map((name) => set('state.storageAccountName', name)),
            ...CONTAINERS.map((name) => set('state.containerName', name)),
            ...RESOURCE_GROUPS.map((name) => set('state.resourceGroupName', name)),
            ...RESOURCE_GROUPS.map((name) => set('azure.resourceGroupName', name)),
          ];
  return [
    ...NETWORK_CIDRS.map((cidr) => set('network.cidr', cidr)),
    ...SOURCE_CIDRS.map((cidr) => set('cluster.publicEndpointCidrs', [cidr], `publicEndpointCidrs [${cidr}]`)).map((m) => ({ ...m, field: 'cluster.publicEndpointCidrs[0]' })),
    ...CRONS.map((cron) => set('cluster.offHours', { stop: cron, start: '0 7 * * 1-5' }, `offHours.stop ${JSON.stringify(cron)}`)).map((m) => ({
      ...m,
      field: cloud === 'aws' ? 'cluster.offHours.stop' : 'cluster.offHours',
    })),
    ...TIME_ZONES.map((zone) => set('cluster.offHours', { stop: '0 20 * * 1-5', start: '0 7 * * 1-5', timeZone: zone }, `offHours.timeZone ${JSON.stringify(zone)}`)).map((m) => ({
      ...m,
      field: cloud === 'aws' ? 'cluster.offHours.timeZone' : 'cluster.offHours',
    })),
    ...[...MACHINE_TYPES.common, ...MACHINE_TYPES[cloud]].map(instanceTypes),
    ...TAGS.common,
    ...TAGS[cloud],
    ...state,
    ...(cloud === 'gcp' ? PROJECT_IDS.map((id) => set('gcp.projectId', id)) : []),
    ...(cloud === 'gcp' ? [set('cluster.name', '1c', 'a GKE cluster name starting with a digit'), set('cluster.nodeGroups[0].name', '1pool', 'a GKE node pool name starting with a digit')] : []),
    ...(cloud === 'azure' ? [set('cluster.name', 'a', 'a one-character AKS DNS prefix')] : []),
    set('cluster.name', 'a'.repeat(41)),
    ...STRUCTURE,
  ];
}

/** Runs one mutation: the error it raised, or what went wrong (accepted, a crash, the field not named). */
function outcome(base: Config, mutation: Mutation): { readonly kind: 'rejected' | 'accepted' | 'crash' | 'wrong field'; readonly detail: string } {
  const config = clone(base);
  mutation.apply(config);
  try {
    validateEnvironment(config);
    return { kind: 'accepted', detail: '' };
  } catch (error) {
    if (!(error instanceof IdpkitError)) return { kind: 'crash', detail: String(error) };
    const named = error.problems.some((problem) => problem.includes(`: ${mutation.field}`));
    return named ? { kind: 'rejected', detail: error.message } : { kind: 'wrong field', detail: error.message };
  }
}

const corpus = environmentSets.all.flatMap((env) => mutationsOf(env as Config).map((mutation) => ({ env: env as Config, mutation })));

describe('the mutation corpus of the shipped environments', () => {
  test('has at least 300 mutations, and every one is rejected with an idpkit error naming its field: 0 accepted, 0 crashes', () => {
    const results = corpus.map(({ env, mutation }) => ({ env: env.name as string, mutation: mutation.name, field: mutation.field, ...outcome(env, mutation) }));
    const counts = Object.fromEntries(['rejected', 'accepted', 'crash', 'wrong field'].map((kind) => [kind, results.filter((result) => result.kind === kind).length]));
    expect(results.length).toBeGreaterThanOrEqual(300);
    expect(results.filter((result) => result.kind !== 'rejected')).toEqual([]);
    expect(counts).toEqual({ rejected: results.length, accepted: 0, crash: 0, 'wrong field': 0 });
  });

  test('names the field by its exact path, with the value and what is allowed, for the cases of the issue', () => {
    const dev = environmentSets.all.find((env) => env.name === 'dev') as Config;
    const message = (mutation: Mutation) => outcome(dev, mutation).detail;
    expect(message(set('network.cidr', '010.010.000.000/16'))).toContain('network.cidr "010.010.000.000/16" is not a canonical IPv4 CIDR');
    expect(message(set('network.cidr', '224.0.0.0/16'))).toContain('network.cidr "224.0.0.0/16" is in multicast address space (allowed: private address space');
    expect(message(instanceTypes(['m7i.metal-48xl']))).toContain("has 192 vCPUs per node, above the dev tier's limit of 8");
    expect(message(instanceTypes(['m7i.lage']))).toMatch(/instanceTypes\[0\] "m7i.lage" is not a machine type AWS offers \(list of \d{4}-\d{2}-\d{2}; closest: m7i.large/);
    expect(message(set('cluster.offHours', { stop: '99 99 * * *', start: '0 7 * * 1-5', timeZone: 'Mars/Olympus_Mons' }))).toContain(
      'cluster.offHours.stop "99 99 * * *" is not a cron expression with five fields',
    );
    expect(message(set('cluster.offHours', { stop: '0 20 * * *', start: '0 7 * * 1-5', timeZone: 'Europe/Berln' }))).toContain(
      'cluster.offHours.timeZone "Europe/Berln" is not an IANA time zone (e.g. Europe/Berlin, Etc/UTC; closest: Europe/Berlin',
    );
    expect(message(set('tags', { 'aws:team': 'x' }))).toContain('tags.aws:team "x" has a key starting with "aws:", which AWS reserves');
    expect(message(set('tags', { owner: 'x' }))).toContain('tags.owner "x" is the standard tag "owner" that idpkit sets itself');
    expect(message(set('state.bucket', 'idpkit..state'))).toContain('state.bucket "idpkit..state" is not an S3 bucket name: it must not hold two adjacent periods');
    expect(message(set('platform.addons', JSON.parse('{"__proto__": {"falco": {"enabled": true}}}')))).toContain('platform.addons has unknown field(s) __proto__');
    expect(message(set('cluster.terraformOverrides', { a: deep(100_000) }, 'deep'))).toContain('cluster.terraformOverrides.a.a.a.a.a.a nests deeper than 64 levels');
  });
});
