/**
 * Property-based tests of the environment schema (fast-check): generated values either raise an
 * IdpkitError naming their field, or are valid by the cloud's rule as written out here from the
 * clouds' documentation (independently of idpkit's implementation); no generated input crashes.
 */
import fc from 'fast-check';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IdpkitError } from '../../constructs/core/errors';
import { KNOWN_MACHINE_TYPES } from '../../constructs/infrastructure/cluster/machine-types.generated';
import { azureDev, environmentSets, gcpDev, gcpProd, loadEnvironmentFile, prod, validateEnvironment } from '../../environments';
import { clone, devConfig } from '../helpers';

type Config = Record<string, any>;

/** Validates `config`: 'valid', or the problems of the IdpkitError it raised. Anything else thrown fails the property (a crash). */
function verdict(config: unknown): 'valid' | readonly string[] {
  try {
    validateEnvironment(config);
    return 'valid';
  } catch (error) {
    if (error instanceof IdpkitError) return error.problems;
    throw error;
  }
}

/**
 * The property of every field below: a value accepted is valid by the oracle, and a value
 * rejected is named by its field; with `exact`, a value the oracle calls valid is accepted too.
 */
function checkField(base: Config, field: string, change: (config: Config) => void, oracle: () => boolean, exact = true): void {
  const config = clone(base);
  change(config);
  const result = verdict(config);
  if (result === 'valid') {
    expect(oracle()).toBe(true);
  } else {
    expect(result.filter((problem) => problem.includes(`: ${field}`))).not.toEqual([]);
    if (exact) expect(oracle()).toBe(false);
  }
}

const RUNS = { numRuns: 150 };

// --- IPv4 CIDRs -------------------------------------------------------------------------------

const octet = fc.oneof(fc.integer({ min: 0, max: 255 }).map(String), fc.integer({ min: 0, max: 999 }).map((n) => String(n).padStart(3, '0')), fc.integer({ min: 256, max: 999 }).map(String));
const cidrText = fc.oneof(
  fc.tuple(octet, octet, octet, octet, fc.integer({ min: 0, max: 40 })).map(([a, b, c, d, prefix]) => `${a}.${b}.${c}.${d}/${prefix}`),
  // Blocks in and around the interesting ranges, with host bits clear.
  fc.tuple(fc.constantFrom(0, 10, 100, 127, 169, 172, 192, 198, 203, 224, 240, 255, 8), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 8, max: 32 })).map(([first, second, prefix]) => {
    const address = ((first * 256 + second) * 65536) >>> 0;
    const network = prefix === 0 ? 0 : Math.floor(address / 2 ** (32 - prefix)) * 2 ** (32 - prefix);
    return `${[24, 16, 8, 0].map((shift) => Math.floor(network / 2 ** shift) % 256).join('.')}/${prefix}`;
  }),
  fc.string({ maxLength: 20 }),
);

/** A canonical IPv4 CIDR as numbers, by the rule: decimal octets 0-255 without leading zeros, prefix 0-32, no host bits. */
function canonicalBlock(text: string): { start: number; end: number; prefix: number } | undefined {
  const match = /^(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\/(0|[1-9]\d?)$/.exec(text);
  if (!match) return undefined;
  const octets = match.slice(1, 5).map(Number);
  const prefix = Number(match[5]);
  if (octets.some((o) => o > 255) || prefix > 32) return undefined;
  const start = octets.reduce((acc, o) => acc * 256 + o, 0);
  const size = 2 ** (32 - prefix);
  return start % size === 0 ? { start, end: start + size - 1, prefix } : undefined;
}

const block = (text: string) => canonicalBlock(text)!;
const within = (inner: { start: number; end: number }, outer: { start: number; end: number }) => inner.start >= outer.start && inner.end <= outer.end;
const overlaps = (a: { start: number; end: number }, b: { start: number; end: number }) => a.start <= b.end && b.start <= a.end;
/** RFC 1918 and RFC 6598: where a VPC, VNet or VPC network may live. */
const NETWORK_SPACE = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10'].map(block);
/** IANA special-purpose blocks (RFC 6890 and later) that a public endpoint is never reached from; RFC 5737 documentation ranges stay allowed. */
const NOT_PUBLIC = [
  '0.0.0.0/8', '10.0.0.0/8', '100.64.0.0/10', '127.0.0.0/8', '169.254.0.0/16', '172.16.0.0/12', '192.0.0.0/24', '192.31.196.0/24', '192.52.193.0/24',
  '192.88.99.0/24', '192.168.0.0/16', '192.175.48.0/24', '198.18.0.0/15', '224.0.0.0/4', '240.0.0.0/4',
].map(block);
const DOCUMENTATION = ['192.0.2.0/24', '198.51.100.0/24', '203.0.113.0/24'].map(block);

describe('CIDRs', () => {
  test('network.cidr is accepted exactly when it is a canonical /16 to /20 block in private space', () => {
    fc.assert(
      fc.property(cidrText, (cidr) =>
        checkField(devConfig(), 'network.cidr', (c) => (c.network.cidr = cidr), () => {
          const parsed = canonicalBlock(cidr);
          return parsed !== undefined && parsed.prefix >= 16 && parsed.prefix <= 20 && NETWORK_SPACE.some((space) => within(parsed, space));
        }),
      ),
      RUNS,
    );
  });

  test('publicEndpointCidrs are accepted exactly when canonical and public (or documentation, or 0.0.0.0/0)', () => {
    fc.assert(
      fc.property(cidrText, (cidr) =>
        checkField(devConfig(), 'cluster.publicEndpointCidrs[0]', (c) => (c.cluster.publicEndpointCidrs = [cidr]), () => {
          const parsed = canonicalBlock(cidr);
          if (!parsed) return false;
          if (parsed.prefix === 0) return true;
          if (DOCUMENTATION.some((range) => within(parsed, range))) return true;
          return !NOT_PUBLIC.some((range) => overlaps(parsed, range)) && !DOCUMENTATION.some((range) => overlaps(parsed, range));
        }),
      ),
      RUNS,
    );
  });
});

// --- Machine types ----------------------------------------------------------------------------

/** A known type changed a little: a character dropped, doubled or replaced, or the case flipped. */
const nearMachineType = (cloud: keyof typeof KNOWN_MACHINE_TYPES) =>
  fc.tuple(fc.constantFrom(...Object.keys(KNOWN_MACHINE_TYPES[cloud])), fc.nat(), fc.constantFrom('drop', 'double', 'replace', 'case', 'keep'), fc.constantFrom('x', '1', '.', '-', '_')).map(([name, at, how, char]) => {
    const i = at % name.length;
    if (how === 'drop') return name.slice(0, i) + name.slice(i + 1);
    if (how === 'double') return name.slice(0, i) + name[i] + name.slice(i);
    if (how === 'replace') return name.slice(0, i) + char + name.slice(i + 1);
    if (how === 'case') return name.toUpperCase() === name ? name.toLowerCase() : name.toUpperCase();
    return name;
  });

/**
 * GCP custom machine types by the documented rule (Compute Engine, "Create a VM with a custom
 * machine type"): N1 (`custom-`) 1 or an even 2-96 vCPUs, 0.9-6.5 GB per vCPU; N2 even 2-32 then
 * 36-128 by 4, N2D 2, 4, 8 and 16-96 by 16, both 0.5-8 GB per vCPU; E2 even 2-32, 0.5-8 GB; N4 even
 * 2-16 then 20-80 by 4, 2-8 GB; memory in 256 MB steps; `-ext` lifts the maximum on N1, N2 and N2D.
 */
function offeredGcpCustomType(type: string): { vcpus: number } | undefined {
  const match = /^(?:(n2|n2d|e2|n4)-)?custom-([1-9][0-9]*)-([1-9][0-9]*)(-ext)?$/.exec(type);
  if (!match) return undefined;
  const [family, vcpus, memory, ext] = [match[1] ?? 'n1', Number(match[2]), Number(match[3]), match[4] !== undefined];
  const even = (from: number, to: number, by = 2) => vcpus >= from && vcpus <= to && (vcpus - from) % by === 0;
  const rule = {
    n1: { vcpus: vcpus === 1 || even(2, 96), min: 0.9, max: 6.5, ext: true },
    n2: { vcpus: even(2, 32) || even(36, 128, 4), min: 0.5, max: 8, ext: true },
    n2d: { vcpus: [2, 4, 8].includes(vcpus) || even(16, 96, 16), min: 0.5, max: 8, ext: true },
    e2: { vcpus: even(2, 32), min: 0.5, max: 8, ext: false },
    n4: { vcpus: even(2, 16) || even(20, 80, 4), min: 2, max: 8, ext: false },
  }[family]!;
  const gib = memory / 1024;
  const fits = rule.vcpus && memory % 256 === 0 && gib >= rule.min * vcpus && (ext ? rule.ext : gib <= rule.max * vcpus);
  return fits ? { vcpus } : undefined;
}

/** Names shaped like GCP custom machine types, in and out of their families' limits. */
const customMachineType = fc
  .tuple(fc.constantFrom('', 'n2-', 'n2d-', 'e2-', 'n4-', 'c3-'), fc.integer({ min: 0, max: 130 }), fc.integer({ min: 1, max: 1200 }), fc.constantFrom(256, 250), fc.boolean(), fc.boolean())
  .map(([family, vcpus, steps, step, ext, leadingZero]) => `${family}custom-${vcpus}-${leadingZero ? '0' : ''}${steps * step}${ext ? '-ext' : ''}`);

/** Whether a cloud offers a machine type: the generated list, and on GCP custom types by the rule above. */
function offeredVcpus(cloud: keyof typeof KNOWN_MACHINE_TYPES, type: string): number | undefined {
  if (Object.hasOwn(KNOWN_MACHINE_TYPES[cloud], type)) return KNOWN_MACHINE_TYPES[cloud][type];
  return cloud === 'gcp' ? offeredGcpCustomType(type)?.vcpus : undefined;
}

describe.each([
  ['aws', prod],
  ['azure', environmentSets.all.find((env) => env.name === 'azure-prod')!],
  ['gcp', gcpProd],
] as const)('machine types on %s', (cloud, env) => {
  test('a node group type is accepted exactly when the cloud offers it (the generated list; GCP custom types by their rule) and it fits the tier', () => {
    fc.assert(
      fc.property(fc.oneof(nearMachineType(cloud), customMachineType, fc.string({ maxLength: 30 }), fc.constantFrom('constructor', '__proto__', 'toString', 'hasOwnProperty')), (type) =>
        checkField(env as Config, 'cluster.nodeGroups[0].', (c) => {
          delete c.cluster.nodeGroups[0].size;
          c.cluster.nodeGroups[0].instanceTypes = [type];
        }, () => (offeredVcpus(cloud, type) ?? Infinity) <= 64),
      ),
      RUNS,
    );
  });
});

// --- Cron and time zones ----------------------------------------------------------------------

/** One cron atom: its text, whether its values are in range, and the values it matches. */
interface CronAtom {
  readonly text: string;
  readonly valid: boolean;
  readonly values: readonly number[];
}
const span = (from: number, to: number, step = 1) => Array.from({ length: Math.max(0, Math.floor((to - from) / step) + 1) }, (_, i) => from + i * step);

/**
 * One cron field from its grammar: `*`, a value, a range, a step or a list, with values in range
 * or not. A list whose atoms match the same value is `either`: Unix cron takes it, cron-parser
 * (and so idpkit) may call it a duplicate. `canonical` tells values that mean the same (day of the
 * week: 0 and 7 are Sunday).
 */
const cronField = (min: number, max: number, stepMax = max, canonical = (n: number) => n) => {
  const value = fc.oneof(
    { weight: 4, arbitrary: fc.integer({ min, max }).map((n): CronAtom => ({ text: String(n), valid: true, values: [n] })) },
    fc.integer({ min: max + 1, max: max + 100 }).map((n): CronAtom => ({ text: String(n), valid: false, values: [] })),
  );
  const atom = fc.oneof(
    fc.constant<CronAtom>({ text: '*', valid: true, values: span(min, max) }),
    value,
    fc.tuple(value, value).map(([a, b]): CronAtom => ({ text: `${a.text}-${b.text}`, valid: a.valid && b.valid && Number(a.text) <= Number(b.text), values: span(Number(a.text), Number(b.text)) })),
    fc.tuple(fc.constantFrom('*', String(min)), fc.integer({ min: 0, max: stepMax + 5 })).map(([start, step]): CronAtom => ({ text: `${start}/${step}`, valid: step >= 1 && step <= stepMax, values: step >= 1 ? span(min, max, step) : [] })),
  );
  return fc.array(atom, { minLength: 1, maxLength: 3 }).map((atoms) => {
    const valid = atoms.every((a) => a.valid) && (atoms.length === 1 || !atoms.some((a) => a.text === '*'));
    const values = atoms.flatMap((a) => a.values.map(canonical));
    return { text: atoms.map((a) => a.text).join(','), valid: valid && new Set(values).size < values.length ? ('either' as const) : valid };
  });
};
const cronExpression = fc.tuple(cronField(0, 59), cronField(0, 23), cronField(1, 28, 31), cronField(1, 12), cronField(0, 7, 7, (day) => day % 7)).map((fields) => ({
  text: fields.map((f) => f.text).join(' '),
  valid: fields.some((f) => f.valid === false) ? false : fields.some((f) => f.valid === 'either') ? ('either' as const) : true,
}));

describe('off-hours', () => {
  test('a cron is accepted exactly when each of its five fields holds values in range (lists that repeat a value may be refused)', () => {
    fc.assert(
      fc.property(cronExpression, (cron) =>
        checkField(devConfig(), 'cluster.offHours.stop', (c) => (c.cluster.offHours = { stop: cron.text, start: '0 7 * * 1-5' }), () => cron.valid !== false, cron.valid !== 'either'),
      ),
      { numRuns: 300 },
    );
  });

  test('any text as a time zone is rejected naming the field, or is one the tz database knows', () => {
    const zones = Intl.supportedValuesOf('timeZone');
    const zone = fc.oneof(fc.constantFrom(...zones), fc.constantFrom(...zones).map((z) => z.toLowerCase()), fc.string({ maxLength: 20 }), fc.constantFrom('Etc/UTC', 'UTC', 'Mars/Olympus_Mons', 'Etc/GMT+99'));
    fc.assert(
      fc.property(zone, (timeZone) =>
        checkField(devConfig(), 'cluster.offHours.timeZone', (c) => (c.cluster.offHours = { stop: '0 20 * * 1-5', start: '0 7 * * 1-5', timeZone }), () => {
          try {
            return new Intl.DateTimeFormat('en-US', { timeZone }) !== undefined;
          } catch {
            return false;
          }
        }, false),
      ),
      RUNS,
    );
  });
});

// --- Tags -------------------------------------------------------------------------------------

const tagText = (maxLength: number) =>
  fc.oneof(
    fc.string({ maxLength: 12 }),
    fc.string({ unit: 'grapheme', maxLength: 8 }),
    fc.constantFrom('aws:x', 'AWS:team', 'owner', 'Owner', 'cost-center', 'Cost Center', 'managed-by', 'a<b', 'a/b', 'a?b', 'team', 'Team', '', ' ', 'x'.repeat(maxLength), 'x'.repeat(maxLength + 1)),
  );
const tags = fc.dictionary(tagText(64), tagText(64), { maxKeys: 8 });
const standardKeys = ['environment', 'owner', 'cost-center', 'managed-by'];
/** Keys that reach an object's prototype: refused in every object of an environment. */
const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'prototype'];

/** The clouds' tag rules, from their documentation (see docs/environments.md#tags). */
const TAG_ORACLES: Record<string, (tags: Record<string, string>) => boolean> = {
  aws: (t) =>
    Object.entries(t).every(
      ([key, value]) =>
        !PROTOTYPE_KEYS.includes(key) && key.trim() !== '' && key.length <= 128 && value.length <= 256 && /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u.test(key) && /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u.test(value) && !key.toLowerCase().startsWith('aws:') && !standardKeys.includes(key),
    ),
  azure: (t) => {
    const lower = Object.keys(t).map((key) => key.toLowerCase());
    return (
      new Set(lower).size === lower.length &&
      Object.entries(t).every(([key, value]) => !PROTOTYPE_KEYS.includes(key) && key.trim() !== '' && key.length <= 512 && value.length <= 256 && !/[<>%&\\?/]/.test(key) && !standardKeys.includes(key.toLowerCase()))
    );
  },
  gcp: (t) => {
    // idpkit writes a tag as a label: lowercased, other characters "-", "x-" before a key not starting with a letter.
    const label = (key: string) => {
      const clean = key.toLowerCase().replace(/[^a-z0-9_-]/g, '-');
      return /^[a-z]/.test(clean) ? clean : `x-${clean}`;
    };
    const labels = Object.keys(t).map(label);
    return (
      new Set(labels).size === labels.length &&
      Object.entries(t).every(([key, value]) => !PROTOTYPE_KEYS.includes(key) && key.trim() !== '' && label(key).length <= 63 && value.toLowerCase().length <= 63 && !standardKeys.includes(label(key)))
    );
  },
};

describe.each([
  ['aws', devConfig()],
  ['azure', azureDev],
  ['gcp', gcpDev],
] as const)('tags on %s', (cloud, env) => {
  test('extra tags are accepted exactly when every resource would take them', () => {
    fc.assert(fc.property(tags, (extra) => checkField(env as Config, 'tags', (c) => (c.tags = extra), () => TAG_ORACLES[cloud](extra))), RUNS);
  });
});

// --- Names ------------------------------------------------------------------------------------

const nameText = fc.oneof(
  fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789.-_A'.split('')), minLength: 0, maxLength: 70 }),
  fc.tuple(fc.constantFrom('xn--', 'sthree-', 'goog', 'amzn-s3-demo-', '', 'my-google-', 'g00gle', 'ssl'), fc.string({ unit: fc.constantFrom(...'abc123.-'.split('')), maxLength: 12 }), fc.constantFrom('', '-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3', '-'))
    .map(([prefix, middle, suffix]) => `${prefix}${middle}${suffix}`),
  fc.tuple(fc.nat(300), fc.nat(300), fc.nat(300), fc.nat(300)).map((octets) => octets.join('.')),
);
const ipShaped = (name: string) => /^\d+\.\d+\.\d+\.\d+$/.test(name);
const NAME_ORACLES = {
  s3: (name: string) =>
    /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(name) &&
    !name.includes('..') &&
    !ipShaped(name) &&
    !/^(xn--|sthree-|amzn-s3-demo-)/.test(name) &&
    !/(-s3alias|--ol-s3|\.mrap|--x-s3|--table-s3)$/.test(name),
  gcs: (name: string) => /^[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]$/.test(name) && !name.includes('..') && !ipShaped(name) && !name.startsWith('goog') && !/g[o0]{2}g[l1]e/.test(name),
  project: (name: string) => /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/.test(name) && !name.includes('google') && !name.includes('ssl'),
  storageAccount: (name: string) => /^[a-z0-9]{3,24}$/.test(name),
};

describe('names', () => {
  test.each([
    ['an S3 state bucket', devConfig(), 'state.bucket', NAME_ORACLES.s3, (c: Config, name: string) => (c.state.bucket = name)],
    ['a GCS state bucket', gcpDev, 'state.bucket', NAME_ORACLES.gcs, (c: Config, name: string) => (c.state.bucket = name)],
    ['a GCP project id', gcpDev, 'gcp.projectId', NAME_ORACLES.project, (c: Config, name: string) => (c.gcp.projectId = name)],
    ['a state storage account', azureDev, 'state.storageAccountName', NAME_ORACLES.storageAccount, (c: Config, name: string) => (c.state.storageAccountName = name)],
  ] as const)('%s is accepted exactly when the cloud naming rule allows it', (_what, env, field, oracle, change) => {
    fc.assert(fc.property(nameText, (name) => checkField(env as Config, field, (c) => change(c, name), () => oracle(name))), RUNS);
  });
});

// --- Anything anywhere ------------------------------------------------------------------------

/** Paths of every value in a config, to put generated values at. */
const pathsOf = (node: unknown, path: string[] = []): string[][] =>
  typeof node === 'object' && node !== null ? [path, ...Object.entries(node).flatMap(([key, value]) => pathsOf(value, [...path, key]))] : [path];

const hostile = fc.oneof(
  fc.anything({ withNullPrototype: true, withMap: true, withSet: true, withBigInt: true, withDate: true, withTypedArray: true, withSparseArray: true, withBoxedValues: true, key: fc.oneof(fc.string(), fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString')) }),
  fc.jsonValue(),
  fc.nat(500).map((levels) => {
    const root: Config = {};
    let node = root;
    for (let i = 0; i < levels; i++) node = node.x = {};
    return root;
  }),
);

describe('no input crashes', () => {
  test.each(environmentSets.all.map((env) => [env.name, env] as const))('any value at any path of %s gives an idpkit error or a valid environment', (_name, env) => {
    const paths = pathsOf(env).filter((path) => path.length > 0);
    fc.assert(
      fc.property(fc.constantFrom(...paths), hostile, (path, value) => {
        const config = clone(env) as Config;
        const parent = path.slice(0, -1).reduce((node, key) => node[key], config);
        parent[path.at(-1)!] = value;
        verdict(config); // throws only when validation crashes
      }),
      { numRuns: 60 },
    );
  });

  test('any JSON file, or the text of a shipped environment cut or changed anywhere, gives an idpkit error or a valid environment', () => {
    const dir = mkdtempSync(join(tmpdir(), 'idpkit-properties-'));
    const text = JSON.stringify(devConfig());
    const file = fc.oneof(
      fc.jsonValue().map((value) => JSON.stringify(value)),
      fc.tuple(fc.nat(text.length), fc.nat(text.length), fc.string({ maxLength: 5 })).map(([from, to, insert]) => text.slice(0, Math.min(from, to)) + insert + text.slice(Math.max(from, to))),
      fc.constantFrom('{"__proto__": {"cloud": "aws"}}', `{"a":${'['.repeat(5000)}${']'.repeat(5000)}}`, '\uFEFF{}', ''),
    );
    fc.assert(
      fc.property(file, (content) => {
        const path = join(dir, 'env.json');
        writeFileSync(path, content);
        try {
          loadEnvironmentFile(path);
        } catch (error) {
          expect(error).toBeInstanceOf(IdpkitError);
        }
      }),
      { numRuns: 100 },
    );
  });
});
