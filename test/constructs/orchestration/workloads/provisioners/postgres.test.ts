import Ajv from 'ajv';
import { IdpkitError } from '../../../../../constructs/core/errors';
import type { KubernetesObject } from '../../../../../constructs/core/manifests';
import { postgresqlInstanceDefinition } from '../../../../../constructs/orchestration/crossplane/databases';
import { POSTGRES_TIER_DEFAULTS, defaultPostgresClass, postgresProvisioner } from '../../../../../constructs/orchestration/workloads/provisioners/postgres';
import type { ScoreResource, WorkloadPlatform } from '../../../../../constructs/orchestration/workloads/types';
import { schemaViolations } from '../../../../support/kubernetes-schemas';
import { only, platformOf, requestOf } from './fixtures';

const provision = (platform: WorkloadPlatform, resource: Partial<ScoreResource> = {}, preview = false) =>
  postgresProvisioner.provision(requestOf(platform, { type: 'postgres', ...resource }, { preview }));

/** What the provisioner throws, as an IdpkitError. */
function errorOf(run: () => unknown): IdpkitError {
  try {
    run();
  } catch (error) {
    if (error instanceof IdpkitError) return error;
    throw error;
  }
  throw new Error('expected an IdpkitError');
}

/** The PostgreSQLInstance schema of the XRD the CrossplaneDatabases release installs. */
const xrd = postgresqlInstanceDefinition('postgresql-aws') as unknown as {
  spec: { group: string; names: { kind: string }; versions: { name: string; schema: { openAPIV3Schema: { properties: { spec: { properties: Record<string, unknown> } } } } }[] };
};
const validateClaim = new Ajv({ allErrors: true }).compile(xrd.spec.versions[0].schema.openAPIV3Schema);

/** The claim is valid for the XRD: its schema, its group, version and kind, and no field the XRD lacks (Crossplane adds `spec.crossplane`). */
function expectValidClaim(claim: KubernetesObject): void {
  expect(claim.apiVersion).toBe(`${xrd.spec.group}/${xrd.spec.versions[0].name}`);
  expect(claim.kind).toBe(xrd.spec.names.kind);
  expect(validateClaim(claim) ? [] : validateClaim.errors).toEqual([]);
  const fields = [...Object.keys(xrd.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties), 'crossplane'];
  expect(Object.keys(claim.spec as object).filter((field) => !fields.includes(field))).toEqual([]);
}

describe('postgres, class crossplane', () => {
  it('checks claims with the XRD\'s schema for real (a size it lacks fails)', () => {
    const claim = only(provision(platformOf()).objects, 'PostgreSQLInstance');
    expect(validateClaim({ ...claim, spec: { ...(claim.spec as object), size: 'huge' } })).toBe(false);
  });

  it('makes a PostgreSQLInstance valid for the XRD, on the cloud Composition by default, with the tier defaults', () => {
    const { objects, outputs, egress, cloud } = provision(platformOf());
    const claim = only(objects, 'PostgreSQLInstance');
    expectValidClaim(claim);
    expect(claim.metadata).toEqual({
      name: 'orders-db',
      namespace: 'shop',
      labels: { 'app.kubernetes.io/name': 'orders', 'app.kubernetes.io/managed-by': 'idpkit', 'idpkit.dev/workload': 'orders' },
    });
    expect(claim.spec).toEqual({
      size: 'medium',
      storageGiB: 20,
      version: '17',
      backupRetentionDays: 14,
      highAvailability: true,
      crossplane: { compositionSelector: { matchLabels: { 'database.idpkit.dev/provider': 'aws' } } },
    });
    expect(cloud).toBeUndefined();
    // RDS writes host, port, username and password into <instance>-postgresql.
    expect(outputs).toEqual({
      host: { secret: { name: 'orders-db-postgresql', key: 'host' } },
      port: { secret: { name: 'orders-db-postgresql', key: 'port' } },
      name: { value: 'postgres' },
      database: { value: 'postgres' },
      username: { secret: { name: 'orders-db-postgresql', key: 'username' } },
      password: { secret: { name: 'orders-db-postgresql', key: 'password' } },
    });
    expect(egress).toEqual([{ peers: [{ ipBlock: { cidr: '10.20.0.0/16' } }], ports: [{ protocol: 'TCP', port: 5432 }] }]);
  });

  it.each([
    ['dev', { size: 'small', highAvailability: false, backupRetentionDays: 7 }],
    ['staging', { size: 'medium', highAvailability: true, backupRetentionDays: 14 }],
    ['prod', { size: 'medium', highAvailability: true, backupRetentionDays: 30 }],
  ] as const)('sizes a %s instance by the tier rules', (tier, expected) => {
    const claim = only(provision(platformOf({ tier })).objects, 'PostgreSQLInstance');
    expect(claim.spec).toMatchObject({ ...expected, storageGiB: 20, version: '17' });
    expect(POSTGRES_TIER_DEFAULTS[tier]).toMatchObject(expected);
    expectValidClaim(claim);
  });

  it('maps the params onto the claim', () => {
    const params = { size: 'large', storageGiB: 100, version: 16, highAvailability: false, backupRetentionDays: 21 };
    const claim = only(provision(platformOf({ tier: 'prod' }), { params }).objects, 'PostgreSQLInstance');
    expect(claim.spec).toMatchObject({ size: 'large', storageGiB: 100, version: '16', highAvailability: false, backupRetentionDays: 21 });
    expectValidClaim(claim);
  });

  it.each([
    ['azure', { host: 'endpoint', port: 'port', username: 'username', password: 'password' }],
    ['gcp', { host: 'privateIP' }],
  ] as const)('reads the keys the %s Composition writes', (cloud, keys) => {
    const { outputs } = provision(platformOf({ cloud }));
    const secrets = Object.fromEntries(Object.entries(outputs).flatMap(([output, value]) => ('secret' in value ? [[output, value.secret.key]] : [])));
    expect(secrets).toEqual(keys);
    expect(Object.values(outputs).every((value) => !('secret' in value) || value.secret.name === 'orders-db-postgresql')).toBe(true);
  });

  it('reaches Cloud SQL in the private ranges Google allocates (outside the VPC), RDS and Azure in the network', () => {
    expect(provision(platformOf({ cloud: 'gcp' })).egress?.[0].peers).toEqual([
      { ipBlock: { cidr: '10.0.0.0/8' } },
      { ipBlock: { cidr: '172.16.0.0/12' } },
      { ipBlock: { cidr: '192.168.0.0/16' } },
    ]);
    expect(provision(platformOf({ cloud: 'azure' })).egress?.[0].peers).toEqual([{ ipBlock: { cidr: '10.20.0.0/16' } }]);
  });

  it('uses the CloudNativePG Composition when it is the default or asked for: the <instance>-app Secret and the -rw Service', () => {
    for (const platform of [platformOf({ databaseApi: { compositions: ['cloudnative-pg'], defaultComposition: 'cloudnative-pg' } }), platformOf()]) {
      const { objects, outputs, egress } = provision(platform, { params: { composition: 'cloudnative-pg' } });
      const claim = only(objects, 'PostgreSQLInstance');
      expect(claim.spec).toMatchObject({ crossplane: { compositionSelector: { matchLabels: { 'database.idpkit.dev/provider': 'cloudnative-pg' } } } });
      expectValidClaim(claim);
      expect(outputs).toEqual({
        host: { value: 'orders-db-rw.shop.svc' },
        port: { value: '5432' },
        name: { value: 'app' },
        database: { value: 'app' },
        username: { secret: { name: 'orders-db-app', key: 'username' } },
        password: { secret: { name: 'orders-db-app', key: 'password' } },
        uri: { secret: { name: 'orders-db-app', key: 'uri' } },
      });
      expect(egress).toEqual([{ peers: [{ podSelector: { matchLabels: { 'cnpg.io/cluster': 'orders-db' } } }], ports: [{ protocol: 'TCP', port: 5432 }] }]);
      expect(only(objects, 'NetworkPolicy').spec).toMatchObject({ podSelector: { matchLabels: { 'cnpg.io/cluster': 'orders-db' } } });
    }
  });

  it('takes the CloudNativePG Composition in a preview, without namespaces, dev-sized', () => {
    const { objects, outputs } = provision(platformOf({ tier: 'prod' }), {}, true);
    const claim = only(objects, 'PostgreSQLInstance');
    expect(claim.metadata.namespace).toBeUndefined();
    expect(claim.spec).toMatchObject({ size: 'small', highAvailability: false, crossplane: { compositionSelector: { matchLabels: { 'database.idpkit.dev/provider': 'cloudnative-pg' } } } });
    expect(outputs.host).toEqual({ value: 'orders-db-rw' });
  });

  it('throws when a param is unknown or outside what the XRD accepts, naming each', () => {
    const error = errorOf(() => provision(platformOf(), { params: { size: 'huge', storageGiB: 10, version: '18', backupRetentionDays: 3, replicas: 2 } }));
    expect(error.code).toBe('IDPKIT_INVALID_INPUT');
    expect(error.problems).toEqual([
      'score.yaml: resources.db.params.size "huge" is not allowed (allowed: small, medium, large, xlarge)',
      'score.yaml: resources.db.params.storageGiB 10 is not a whole number from 20 to 16384',
      'score.yaml: resources.db.params.version "18" is not allowed (allowed: 15, 16, 17)',
      'score.yaml: resources.db.params.backupRetentionDays 3 is not a whole number from 7 to 35',
      'score.yaml: resources.db.params.replicas is not a param of type "postgres" (params: size, storageGiB, version, highAvailability, backupRetentionDays, composition)',
    ]);
  });

  it('throws when a size is larger than the tier allows', () => {
    expect(errorOf(() => provision(platformOf({ tier: 'dev' }), { params: { size: 'large' } })).message).toBe(
      'score.yaml: resources.db.params.size "large" is larger than a dev database may be (4 vCPUs, at most 2: small, medium)',
    );
  });

  it('throws when the Composition is not offered (the cloud one in a preview)', () => {
    const cnpgOnly = platformOf({ databaseApi: { compositions: ['cloudnative-pg'], defaultComposition: 'cloudnative-pg' } });
    expect(errorOf(() => provision(cnpgOnly, { params: { composition: 'cloud' } })).message).toBe(
      'score.yaml: resources.db.params.composition "cloud" is not a Composition this environment offers (allowed: cloudnative-pg)',
    );
    expect(errorOf(() => provision(platformOf(), { params: { composition: 'cloud' } }, true)).message).toBe(
      'score.yaml: resources.db.params.composition "cloud" is not a Composition this environment offers to previews (allowed: cloudnative-pg)',
    );
  });
});

describe('postgres, class cloudnative-pg', () => {
  const cnpg = (platform: WorkloadPlatform, params?: Record<string, unknown>, preview = false) => provision(platform, { class: 'cloudnative-pg', params }, preview);

  it.each([
    ['dev', 1, { cpu: '2', memory: '4Gi' }],
    ['staging', 3, { cpu: '2', memory: '8Gi' }],
    ['prod', 3, { cpu: '2', memory: '8Gi' }],
  ] as const)('runs a %s cluster of %i instances, sized by the size table', (tier, instances, requests) => {
    const cluster = only(cnpg(platformOf({ tier })).objects, 'Cluster');
    expect(cluster.metadata).toMatchObject({ name: 'orders-db', namespace: 'shop', labels: { 'idpkit.dev/workload': 'orders' } });
    expect(cluster.spec).toMatchObject({
      instances,
      imageName: 'ghcr.io/cloudnative-pg/postgresql:17',
      enableSuperuserAccess: false,
      bootstrap: { initdb: { database: 'app', owner: 'app' } },
      storage: { size: '20Gi' },
      enablePDB: instances > 1,
      resources: { requests, limits: { memory: requests.memory } },
    });
  });

  it('maps size, storage, version and high availability', () => {
    const cluster = only(cnpg(platformOf({ tier: 'prod' }), { size: 'large', storageGiB: 50, version: '18', highAvailability: false }).objects, 'Cluster');
    expect(cluster.spec).toMatchObject({ instances: 1, imageName: 'ghcr.io/cloudnative-pg/postgresql:18', storage: { size: '50Gi' }, resources: { requests: { cpu: '4', memory: '16Gi' } } });
  });

  it('lets the workload, the other instances, the operator and monitoring in, and the instances out to DNS and the API server', () => {
    const policy = only(cnpg(platformOf()).objects, 'NetworkPolicy');
    const tcp = (...ports: number[]) => ports.map((port) => ({ protocol: 'TCP', port }));
    const instances = { podSelector: { matchLabels: { 'cnpg.io/cluster': 'orders-db' } } };
    expect(policy.spec).toEqual({
      podSelector: instances.podSelector,
      policyTypes: ['Ingress', 'Egress'],
      ingress: [
        { from: [{ podSelector: { matchLabels: { 'idpkit.dev/workload': 'orders' } } }], ports: tcp(5432) },
        { from: [instances, { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'cnpg-system' } } }], ports: tcp(5432, 8000) },
        { from: [{ namespaceSelector: { matchLabels: { 'idpkit.dev/platform-monitoring': 'true' } } }], ports: tcp(9187) },
      ],
      egress: [
        {
          to: [
            { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } },
            { ipBlock: { cidr: '169.254.20.10/32' } },
          ],
          ports: [
            { protocol: 'UDP', port: 53 },
            { protocol: 'TCP', port: 53 },
          ],
        },
        { to: [instances], ports: tcp(5432, 8000) },
        { to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: tcp(443) },
      ],
    });
  });

  it('lets every workload of the namespace in when the database is shared', () => {
    const { objects } = postgresProvisioner.provision(requestOf(platformOf(), { type: 'postgres', class: 'cloudnative-pg', id: 'shop-db' }));
    expect(only(objects, 'Cluster').metadata).toMatchObject({ name: 'shop-db', labels: { 'idpkit.dev/shared': 'shop-db' } });
    expect((only(objects, 'NetworkPolicy').spec as { ingress: unknown[] }).ingress[0]).toEqual({
      from: [{ podSelector: { matchExpressions: [{ key: 'idpkit.dev/workload', operator: 'Exists' }] } }],
      ports: [{ protocol: 'TCP', port: 5432 }],
    });
  });

  it('cuts a long instance name to CloudNativePG\'s 50 characters, with a stable hash', () => {
    const instanceName = 'a-very-long-workload-name-for-orders-and-payments-database';
    const { objects, outputs } = postgresProvisioner.provision(requestOf(platformOf(), { type: 'postgres', class: 'cloudnative-pg' }, { instanceName }));
    const name = only(objects, 'Cluster').metadata.name;
    expect(name).toHaveLength(50);
    expect(name).toMatch(/^a-very-long-workload-name-for-orders-and-pa-[0-9a-f]{6}$/);
    expect(outputs.password).toEqual({ secret: { name: `${name}-app`, key: 'password' } });
  });

  it('throws when a param is not one CloudNativePG takes', () => {
    expect(errorOf(() => cnpg(platformOf(), { backupRetentionDays: 7 })).message).toBe(
      'score.yaml: resources.db.params.backupRetentionDays is not a param of type "postgres" (params: size, storageGiB, version, highAvailability)',
    );
  });
});

describe('postgres, class managed', () => {
  const teamStack = (overrides: Partial<WorkloadPlatform> = {}) => platformOf({ cloudResources: true, ...overrides });

  it('asks the team stack for a database, whose connection secret (with the password) the team stack syncs', () => {
    const { objects, outputs, cloud, egress } = provision(teamStack({ tier: 'prod' }), { class: 'managed', params: { storageGiB: 50 } });
    expect(cloud).toEqual([
      {
        kind: 'database',
        name: 'staging-shop-orders-db',
        namespace: 'shop',
        size: 'medium',
        storageGiB: 50,
        version: '17',
        highAvailability: true,
        backupRetentionDays: 30,
        secretName: 'orders-db-postgresql',
        connectionSecretName: 'staging-shop-orders-db-postgres-connection',
      },
    ]);
    // The team stack syncs the connection details and the password into secretName (stacks/team).
    expect(objects).toEqual([]);
    const secret = (key: string) => ({ secret: { name: 'orders-db-postgresql', key } });
    expect(outputs).toEqual({ host: secret('host'), port: secret('port'), name: secret('dbname'), database: secret('dbname'), username: secret('username'), password: secret('password') });
    expect(egress?.[0].peers).toEqual([{ ipBlock: { cidr: '10.20.0.0/16' } }]);
  });

  it('names the database within the managed databases\' 40 characters, under the secrets prefix', () => {
    const instanceName = 'checkout-service-primary-database';
    const [request] = postgresProvisioner.provision(requestOf(teamStack(), { type: 'postgres', class: 'managed' }, { instanceName })).cloud ?? [];
    expect(request).toMatchObject({ name: expect.stringMatching(/^staging-shop-checkout-service-pri-[0-9a-f]{6}$/) });
    expect(request.name.length).toBeLessThanOrEqual(40);
  });

  it('is the default in a team stack without the database API, and refused without cloud resources', () => {
    expect(defaultPostgresClass(teamStack({ databaseApi: undefined }), false)).toBe('managed');
    expect(defaultPostgresClass(teamStack(), false)).toBe('crossplane');
    expect(postgresProvisioner.unavailable(platformOf(), 'managed', false)).toBe(
      'class "managed" creates a cloud database with Terraform, which only a team stack\'s ScoreWorkload does (`idpkit workload render` writes Kubernetes objects only) (classes available here: crossplane, cloudnative-pg)',
    );
  });
});

describe('postgres availability', () => {
  it('defaults to crossplane, else managed, else cloudnative-pg', () => {
    expect(defaultPostgresClass(platformOf(), false)).toBe('crossplane');
    expect(defaultPostgresClass(platformOf({ databaseApi: undefined }), false)).toBe('cloudnative-pg');
    expect(defaultPostgresClass(platformOf({ databaseApi: undefined, addons: [] }), false)).toBeUndefined();
  });

  it('names what to enable for each class and lists the available ones', () => {
    const small = platformOf({ databaseApi: undefined, addons: ['externalSecrets'] });
    expect(postgresProvisioner.unavailable(small, undefined, false)).toBe(
      'no PostgreSQL can be provisioned here: enable platform.addons.crossplane.databases.enabled or platform.addons.cloudnativePg.enabled (class "managed" needs a team stack\'s ScoreWorkload)',
    );
    expect(postgresProvisioner.unavailable(small, 'crossplane', false)).toBe(
      'class "crossplane" needs the Crossplane PostgreSQLInstance API: enable platform.addons.crossplane.databases.enabled (with platform.addons.crossplane.enabled) (no class of it is available here)',
    );
    expect(postgresProvisioner.unavailable(platformOf({ addons: [] }), 'cloudnative-pg', false)).toBe(
      'class "cloudnative-pg" needs the CloudNativePG operator: enable platform.addons.cloudnativePg.enabled (classes available here: crossplane)',
    );
    expect(postgresProvisioner.unavailable(platformOf(), 'mysql', false)).toBe('class "mysql" is not a class of postgres (classes: crossplane, cloudnative-pg, managed; classes available here: crossplane, cloudnative-pg)');
    expect(postgresProvisioner.unavailable(platformOf({ databaseApi: { compositions: ['cloud'], defaultComposition: 'cloud' } }), 'crossplane', true)).toMatch(
      /^class "crossplane" in a preview needs the API's CloudNativePG Composition/,
    );
    expect(postgresProvisioner.unavailable(platformOf(), undefined, false)).toBeUndefined();
  });

  it('throws naming the resource when provisioned where it is unavailable', () => {
    expect(errorOf(() => provision(platformOf({ addons: [] }), { class: 'cloudnative-pg' })).message).toMatch(/^score\.yaml: resources\.db\.class: class "cloudnative-pg" needs the CloudNativePG operator/);
  });
});

it('renders only objects the upstream schemas accept (the PostgreSQLInstance is checked against its XRD above)', () => {
  const objects = [
    ...provision(platformOf(), { class: 'cloudnative-pg' }).objects,
    ...provision(platformOf({ tier: 'dev' }), { class: 'cloudnative-pg' }, true).objects,
    ...provision(platformOf(), { params: { composition: 'cloudnative-pg' } }).objects,
    ...provision(platformOf({ cloudResources: true }), { class: 'managed' }).objects,
  ].filter((object) => object.kind !== 'PostgreSQLInstance');
  expect(objects.map((object) => object.kind).sort()).toEqual(['Cluster', 'Cluster', 'NetworkPolicy', 'NetworkPolicy', 'NetworkPolicy']);
  expect(schemaViolations(objects)).toEqual([]);
});
