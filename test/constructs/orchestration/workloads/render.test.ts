/**
 * jest.mock below replaces the provisioners module in this file's own module registry:
 *
 * @jest-environment-options {"isolatedSources": true}
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { IdpkitError } from '../../../../constructs/core/errors';
import type { KubernetesObject } from '../../../../constructs/core/manifests';
import { renderWorkloads } from '../../../../constructs/orchestration/workloads/render';
import type { RenderedWorkloads, RenderOptions, ResourceProvisioner, ScoreFile, WorkloadPlatform } from '../../../../constructs/orchestration/workloads/types';
import { schemaViolations } from '../../../support/kubernetes-schemas';
import { barePlatform, CLOUD_TIERS, testPlatform } from './platforms';
import { scoreFile, workloadFile } from './score-files';

/**
 * Test-only resource types beside the real ones: `secretdb` (a value and two secret outputs),
 * `cloudstore` (a cloud resource granted to the workload's service account, only with
 * platform.cloudResources), `picky` (classes `alpha` and `beta`, `beta` only with the `externalSecrets`
 * add-on; refuses params.bad).
 */
jest.mock('../../../../constructs/orchestration/workloads/provisioners', () => {
  const actual = jest.requireActual('../../../../constructs/orchestration/workloads/provisioners');
  const { IdpkitError: Error } = jest.requireActual('../../../../constructs/core/errors');
  const secretdb: ResourceProvisioner = {
    type: 'secretdb',
    description: 'test',
    classes: [],
    outputs: { host: 'value', username: 'secret', password: 'secret' },
    unavailable: () => undefined,
    provision: (request) => ({
      objects: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: request.instanceName }, data: { for: request.workload } }],
      outputs: { host: { value: `${request.instanceName}.db` }, username: { secret: { name: request.instanceName, key: 'username' } }, password: { secret: { name: request.instanceName, key: 'password' } } },
      egress: [{ peers: [{ podSelector: { matchLabels: { db: request.instanceName } } }], ports: [{ protocol: 'TCP', port: 5432 }] }],
    }),
  };
  const cloudstore: ResourceProvisioner = {
    type: 'cloudstore',
    description: 'test',
    classes: [],
    outputs: { bucket: 'value' },
    unavailable: (platform) => (platform.cloudResources ? undefined : 'needs cloud resources (a team stack)'),
    provision: (request) => ({
      objects: [],
      outputs: { bucket: { value: request.instanceName } },
      cloud: [{ kind: 'bucket', name: request.instanceName, namespace: request.namespace, serviceAccount: request.serviceAccount }],
    }),
  };
  const picky: ResourceProvisioner = {
    type: 'picky',
    description: 'test',
    classes: ['alpha', 'beta'],
    outputs: { value: 'value' },
    unavailable: (platform, resourceClass) => (resourceClass === 'beta' && !platform.addons.includes('externalSecrets') ? 'needs the externalSecrets add-on' : undefined),
    provision: (request) => {
      if (request.resource.params?.bad !== undefined) throw new Error('IDPKIT_INVALID_WORKLOAD', [`${request.at}.params.bad is bad`]);
      return { objects: [], outputs: { value: { value: JSON.stringify(request.resource.params ?? {}) } } };
    },
  };
  return { PROVISIONERS: [...actual.PROVISIONERS, secretdb, cloudstore, picky] };
});

const OPTIONS: RenderOptions = { namespace: 'shop' };
const PROD = testPlatform('aws', 'prod');
const DEV = testPlatform('aws', 'dev');

/** Objects of the render used by the last schema check: every test adds what it renders. */
const rendered: KubernetesObject[] = [];

function render(files: readonly ScoreFile[], platform: WorkloadPlatform = DEV, options: RenderOptions = OPTIONS): RenderedWorkloads {
  const result = renderWorkloads(files, platform, options);
  rendered.push(...result.workloads.flatMap((workload) => workload.objects), ...result.shared);
  return result;
}

/** The problems renderWorkloads throws (fails when it does not throw IDPKIT_INVALID_WORKLOAD). */
function problemsOf(files: readonly ScoreFile[], platform: WorkloadPlatform = DEV, options: RenderOptions = OPTIONS): readonly string[] {
  try {
    renderWorkloads(files, platform, options);
  } catch (error) {
    expect(error).toBeInstanceOf(IdpkitError);
    expect((error as IdpkitError).code).toBe('IDPKIT_INVALID_WORKLOAD');
    return (error as IdpkitError).problems;
  }
  throw new Error('renderWorkloads did not throw');
}

/** The object of a kind (and name) among a render's objects. */
function objectOf(result: RenderedWorkloads, kind: string, name?: string): any {
  const found = [...result.workloads.flatMap((workload) => workload.objects), ...result.shared].find((object) => object.kind === kind && (name === undefined || object.metadata.name === name));
  if (!found) throw new Error(`no ${kind} ${name ?? ''}`);
  return found;
}

const kinds = (result: RenderedWorkloads, workload: string) => result.workloads.find((candidate) => candidate.name === workload)!.objects.map((object) => object.kind);
const podSpec = (result: RenderedWorkloads, name = 'web') => objectOf(result, 'Deployment', name).spec.template.spec;
const container = (result: RenderedWorkloads, name = 'web') => podSpec(result, name).containers[0];

const WEB = workloadFile('web', { service: { ports: { http: { port: 80, targetPort: 8080 } } } });

describe('renderWorkloads: the workload objects', () => {
  it('renders a ServiceAccount, Deployment, Service and NetworkPolicy, labelled, in the namespace', () => {
    const result = render([WEB]);
    expect(kinds(result, 'web')).toEqual(['ServiceAccount', 'Deployment', 'Service', 'NetworkPolicy']);
    for (const object of result.workloads[0].objects) {
      expect(object.metadata).toMatchObject({
        name: 'web',
        namespace: 'shop',
        labels: { 'app.kubernetes.io/name': 'web', 'app.kubernetes.io/managed-by': 'idpkit', 'idpkit.dev/workload': 'web' },
      });
    }
    expect(result.workloads[0]).toMatchObject({ name: 'web', namespace: 'shop', source: 'web/score.yaml', serviceAccount: 'web', cloudIdentity: false });
    expect(result.cloud).toEqual([]);
  });

  it.each([
    ['dev', 1, false],
    ['staging', 2, false],
    ['prod', 3, true],
  ] as const)('in %s runs %i replicas, spread over zones and with a disruption budget only in prod', (tier, replicas, prod) => {
    const result = render([WEB], testPlatform('gcp', tier));
    const deployment = objectOf(result, 'Deployment');
    expect(deployment.spec.replicas).toBe(replicas);
    expect(deployment.spec.selector).toEqual({ matchLabels: { 'idpkit.dev/workload': 'web' } });
    expect(deployment.spec.template.metadata.labels).toMatchObject({ 'idpkit.dev/workload': 'web' });
    expect(deployment.spec.template.spec.topologySpreadConstraints).toEqual(
      prod ? [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { 'idpkit.dev/workload': 'web' } } }] : undefined,
    );
    expect(kinds(result, 'web').includes('PodDisruptionBudget')).toBe(prod);
    if (prod) expect(objectOf(result, 'PodDisruptionBudget').spec).toEqual({ maxUnavailable: 1, selector: { matchLabels: { 'idpkit.dev/workload': 'web' } } });
  });

  it('runs pods at the Pod Security restricted level, with a read-only root and a writable /tmp', () => {
    const spec = podSpec(render([WEB]));
    expect(spec.securityContext).toEqual({ runAsNonRoot: true, fsGroup: 65532, fsGroupChangePolicy: 'OnRootMismatch', seccompProfile: { type: 'RuntimeDefault' } });
    expect(spec.containers[0].securityContext).toEqual({
      runAsNonRoot: true,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(spec.containers[0].volumeMounts).toEqual([{ name: 'idpkit-tmp', mountPath: '/tmp' }]);
    expect(spec.volumes).toEqual([{ name: 'idpkit-tmp', emptyDir: {} }]);
    expect(spec).toMatchObject({ serviceAccountName: 'web', automountServiceAccountToken: false, enableServiceLinks: false });
  });

  it('makes the Service from service.ports (targetPort defaults to port, protocol to TCP), and none without ports', () => {
    const result = render([workloadFile('dns', { service: { ports: { dns: { port: 53, protocol: 'UDP' }, 'dns-tcp': { port: 53 }, metrics: { port: 9100, targetPort: 9101 } } } })]);
    expect(objectOf(result, 'Service').spec).toEqual({
      selector: { 'idpkit.dev/workload': 'dns' },
      ports: [
        { name: 'dns', port: 53, targetPort: 53, protocol: 'UDP' },
        { name: 'dns-tcp', port: 53, targetPort: 53, protocol: 'TCP' },
        { name: 'metrics', port: 9100, targetPort: 9101, protocol: 'TCP' },
      ],
    });
    expect(kinds(render([workloadFile('worker')]), 'worker')).not.toContain('Service');
  });

  it('passes command and args (placeholders resolved, $( escaped for Kubernetes), probes, and the workload annotations', () => {
    const file = workloadFile(
      'web',
      { metadata: { name: 'web', annotations: { 'example.com/owner': 'shop-team' } } },
      {
        command: ['/bin/sh', '-c'],
        args: ['echo $$(date) ${metadata.name}'],
        livenessProbe: { httpGet: { path: '/livez', port: 8080, scheme: 'HTTP', httpHeaders: [{ name: 'X-Probe', value: 'yes' }] }, exec: { command: ['/bin/check'] } },
        readinessProbe: { httpGet: { path: '/readyz', port: 8080, host: '127.0.0.1' } },
      },
    );
    const result = render([file]);
    expect(container(result)).toMatchObject({
      command: ['/bin/sh', '-c'],
      args: ['echo $$(date) web'],
      livenessProbe: { exec: { command: ['/bin/check'] } },
      readinessProbe: { httpGet: { path: '/readyz', port: 8080, host: '127.0.0.1' } },
    });
    expect(objectOf(result, 'Deployment').metadata.annotations).toEqual({ 'example.com/owner': 'shop-team' });
    expect(objectOf(result, 'Deployment').spec.template.metadata.annotations).toEqual({ 'example.com/owner': 'shop-team' });
  });

  it('gives containers without requests or limits the tenant defaults, and keeps given ones', () => {
    const result = render([
      scoreFile({
        metadata: { name: 'web' },
        containers: {
          plain: { image: 'nginx' },
          sized: { image: 'nginx', resources: { requests: { cpu: '2', memory: '1Gi' } } },
          capped: { image: 'nginx', resources: { limits: { cpu: '50m', memory: '64Mi' } } },
        },
      }),
    ]);
    const [plain, sized, capped] = podSpec(result).containers;
    expect(plain.resources).toEqual({ requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '512Mi' } });
    expect(sized.resources).toEqual({ requests: { cpu: '2', memory: '1Gi' }, limits: { memory: '1Gi' } });
    expect(capped.resources).toEqual({ requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '50m', memory: '64Mi' } });
  });

  it('replaces image "." with the image given for the container, or for every container ("*")', () => {
    const file = workloadFile('web', {}, { image: '.' });
    expect(container(render([file], DEV, { namespace: 'shop', images: { main: 'ghcr.io/acme/web:2.0.0' } })).image).toBe('ghcr.io/acme/web:2.0.0');
    expect(container(render([file], DEV, { namespace: 'shop', images: { '*': 'ghcr.io/acme/any:1' } })).image).toBe('ghcr.io/acme/any:1');
    expect(problemsOf([file])).toEqual([
      'web/score.yaml: containers.main.image is "." (the image the workload\'s pipeline builds): give the image to render with for container "main" (render option images, e.g. { "main": "registry.example/app:1.2.3" })',
    ]);
  });
});

describe('renderWorkloads: files', () => {
  const files = {
    '/etc/app/config.yaml': { content: 'name: ${metadata.name}\nliteral: $${x}\n', mode: '0600' },
    '/etc/app/raw.sh': { content: 'echo ${HOME}', noExpand: true },
    '/etc/app/logo.png': { binaryContent: 'iVBORw0KGgo=' },
    '/etc/app/from-disk.txt': { source: 'files/greeting.txt' },
  };
  const readFile = jest.fn((path: string) => {
    if (path === join('web', 'files/greeting.txt')) return Buffer.from('hello ${metadata.name}');
    throw Object.assign(new Error('missing'), { code: 'ENOENT' });
  });

  it('mounts each file from one ConfigMap with subPath and mode; content expanded unless noExpand; binary as binaryData', () => {
    const result = render([workloadFile('web', {}, { files })], DEV, { ...OPTIONS, readFile });
    const configMap = objectOf(result, 'ConfigMap', 'web-files');
    const spec = podSpec(result);
    const mounts = spec.containers[0].volumeMounts.filter((mount: any) => mount.name === 'idpkit-files');
    expect(mounts.map((mount: any) => mount.mountPath)).toEqual(Object.keys(files));
    for (const mount of mounts) expect(mount).toMatchObject({ readOnly: true, subPath: expect.stringMatching(/^main-[-._a-zA-Z0-9]+$/) });
    const key = (target: string) => mounts.find((mount: any) => mount.mountPath === target).subPath;
    expect(configMap.data).toEqual({ [key('/etc/app/config.yaml')]: 'name: web\nliteral: ${x}\n', [key('/etc/app/raw.sh')]: 'echo ${HOME}', [key('/etc/app/from-disk.txt')]: 'hello web' });
    expect(configMap.binaryData).toEqual({ [key('/etc/app/logo.png')]: 'iVBORw0KGgo=' });
    const volume = spec.volumes.find((candidate: any) => candidate.name === 'idpkit-files');
    expect(volume.configMap.name).toBe('web-files');
    expect(volume.configMap.items).toContainEqual({ key: key('/etc/app/config.yaml'), path: key('/etc/app/config.yaml'), mode: 0o600 });
    expect(readFile).toHaveBeenCalledWith(join('web', 'files/greeting.txt'));
  });

  it('rolls the pods when a file changes (a checksum annotation), as subPath mounts never update', () => {
    const checksum = (content: string) =>
      objectOf(render([workloadFile('web', {}, { files: { '/etc/a': { content } } })]), 'Deployment').spec.template.metadata.annotations['idpkit.dev/files-checksum'];
    expect(checksum('a')).toMatch(/^[0-9a-f]{64}$/);
    expect(checksum('a')).toBe(checksum('a'));
    expect(checksum('a')).not.toBe(checksum('b'));
  });

  it('reports unreadable sources, files read without readFile, bad base64, relative targets and secret outputs in content', () => {
    const file = workloadFile(
      'web',
      { resources: { db: { type: 'secretdb' } } },
      {
        files: {
          '/etc/missing': { source: 'nope.txt' },
          '/etc/bad': { binaryContent: 'not base64!' },
          'etc/relative': { content: 'x' },
          '/etc/secret': { content: 'password=${resources.db.password}' },
        },
      },
    );
    expect(problemsOf([file], DEV, { ...OPTIONS, readFile })).toEqual([
      'web/score.yaml: containers.main.files["/etc/missing"].source "nope.txt" cannot be read (web/nope.txt: ENOENT)',
      'web/score.yaml: containers.main.files["/etc/bad"].binaryContent is not standard base64 (A-Z, a-z, 0-9, "+", "/", "=" padding)',
      'web/score.yaml: containers.main.files["etc/relative"]: the target "etc/relative" is not an absolute path (e.g. "/etc/app/config.yaml")',
      'web/score.yaml: containers.main.files["/etc/secret"]: ${resources.db.password} is a secret output and cannot go into file content: pass it to the container through a variable (containers.<name>.variables), which reads it from its Secret',
    ]);
    expect(problemsOf([workloadFile('web', {}, { files: { '/etc/a': { source: 'a.txt' } } })])).toEqual([
      'web/score.yaml: containers.main.files["/etc/a"].source "a.txt": this render reads no local files (give the content inline with "content")',
    ]);
  });
});

describe('renderWorkloads: variables and secrets', () => {
  it('turns variables into env sorted by name, secrets into secretKeyRefs and helper variables, never values', () => {
    const file = workloadFile(
      'web',
      { resources: { db: { type: 'secretdb' }, env: { type: 'environment' } } },
      {
        variables: {
          DB_PASSWORD: '${resources.db.password}',
          DATABASE_URL: 'postgres://${resources.db.username}:${resources.db.password}@${resources.db.host}/app',
          REGION: '${resources.env.region}',
          GREETING: '${resources.env.greeting}',
        },
      },
    );
    const env = container(render([file], testPlatform('azure', 'staging'), { ...OPTIONS, variables: { greeting: 'hej' } })).env;
    expect(env).toEqual([
      { name: 'IDPKIT_SECRET_DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'web-db', key: 'password' } } },
      { name: 'IDPKIT_SECRET_DB_USERNAME', valueFrom: { secretKeyRef: { name: 'web-db', key: 'username' } } },
      { name: 'DATABASE_URL', value: 'postgres://$(IDPKIT_SECRET_DB_USERNAME):$(IDPKIT_SECRET_DB_PASSWORD)@web-db.db/app' },
      { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'web-db', key: 'password' } } },
      { name: 'GREETING', value: 'hej' },
      { name: 'REGION', value: 'westeurope' },
    ]);
  });

  it('reports unknown placeholders and outputs with the field and what is available', () => {
    const file = workloadFile('web', { resources: { db: { type: 'secretdb' } } }, { variables: { A: '${resources.db.port}', B: '${meta.name}', C: '${resources.cache.host}' } });
    expect(problemsOf([file])).toEqual([
      'web/score.yaml: containers.main.variables.A: placeholder ${resources.db.port} is unknown: resource "db" (type secretdb) has no output "port" (outputs: host, password, username)',
      'web/score.yaml: containers.main.variables.B: placeholder ${meta.name} is unknown (placeholders are ${metadata.<key>} and ${resources.<name>.<output>}; write $${ for a literal "${" and $$ for a literal "$")',
      'web/score.yaml: containers.main.variables.C: placeholder ${resources.cache.host} names no resource of this workload (resources: db)',
    ]);
  });

  it('refuses secret outputs in args and params, and a variable named like a helper', () => {
    const file = workloadFile(
      'web',
      { resources: { db: { type: 'secretdb' }, other: { type: 'picky', params: { password: '${resources.db.password}' } } } },
      { args: ['--password=${resources.db.password}'], variables: { IDPKIT_SECRET_DB_PASSWORD: 'x', URL: 'u:${resources.db.password}' } },
    );
    expect(problemsOf([file])).toEqual([
      'web/score.yaml: resources.other.params.password: ${resources.db.password} is a secret output and cannot go into resource params: pass it to the container through a variable (containers.<name>.variables), which reads it from its Secret',
      'web/score.yaml: containers.main.variables.IDPKIT_SECRET_DB_PASSWORD: the name is taken by the variable idpkit defines to read a secret output from its Secret: rename the variable',
      'web/score.yaml: containers.main.args[0]: ${resources.db.password} is a secret output and cannot go into args: pass it to the container through a variable (containers.<name>.variables), which reads it from its Secret',
    ]);
  });
});

describe('renderWorkloads: resources', () => {
  it('refuses an unknown type with the types available in the environment', () => {
    expect(problemsOf([workloadFile('web', { resources: { db: { type: 'mongodb' } } })])).toEqual([
      'web/score.yaml: resources.db.type "mongodb" is not a resource type idpkit provisions in environment "dev-aws" (types available: postgres, redis, dns, route, volume, environment, service, secretdb, picky)',
    ]);
  });

  it('refuses an unavailable type or class, an unknown class and a class on a type without classes, saying what is available', () => {
    const file = workloadFile('web', {
      resources: { store: { type: 'cloudstore' }, one: { type: 'picky', class: 'beta' }, two: { type: 'picky', class: 'gamma' }, env: { type: 'environment', class: 'special' } },
    });
    expect(problemsOf([file], barePlatform('aws', 'dev'))).toEqual([
      'web/score.yaml: resources.env.class "special" is not allowed: type "environment" has no classes (remove class)',
      'web/score.yaml: resources.one.class "beta" cannot be provisioned in environment "dev-aws": needs the externalSecrets add-on (classes of "picky" available: alpha)',
      'web/score.yaml: resources.store.type "cloudstore" cannot be provisioned in environment "dev-aws": needs cloud resources (a team stack) (types available: volume, environment, service, secretdb, picky)',
      'web/score.yaml: resources.two.class "gamma" is not a class of type "picky" (classes available in environment "dev-aws": alpha)',
    ]);
  });

  it('resolves params placeholders first, provisioning resources after those their params name', () => {
    const file = workloadFile('web', { resources: { zeta: { type: 'secretdb' }, alpha: { type: 'picky', params: { host: '${resources.zeta.host}', name: '${metadata.name}' } } } }, { variables: { V: '${resources.alpha.value}' } });
    expect(container(render([file])).env).toEqual([{ name: 'V', value: '{"host":"web-zeta.db","name":"web"}' }]);
  });

  it('refuses params that name each other (a cycle), once', () => {
    const file = workloadFile('web', { resources: { one: { type: 'picky', params: { x: '${resources.two.value}' } }, two: { type: 'picky', params: { x: '${resources.one.value}' } } } });
    expect(problemsOf([file])).toEqual(["web/score.yaml: resources one -> two -> one: their params name each other's outputs (a cycle): remove one of these placeholders"]);
  });

  it("reports a provisioner's own problems and goes on with the other resources and files", () => {
    const bad = workloadFile('web', { resources: { pp: { type: 'picky', params: { bad: 1 } } } }, { variables: { V: '${resources.pp.value}' } });
    expect(problemsOf([bad, workloadFile('api', {}, { image: '.' })])).toEqual([
      'api/score.yaml: containers.main.image is "." (the image the workload\'s pipeline builds): give the image to render with for container "main" (render option images, e.g. { "main": "registry.example/app:1.2.3" })',
      'web/score.yaml: resources.pp.params.bad is bad',
    ]);
  });

  it("labels a resource's objects with the workload and its resource annotations", () => {
    const file = workloadFile('web', { resources: { db: { type: 'secretdb', metadata: { annotations: { 'example.com/backup': 'daily' } } } } });
    expect(objectOf(render([file]), 'ConfigMap', 'web-db').metadata).toEqual({
      name: 'web-db',
      namespace: 'shop',
      labels: { 'app.kubernetes.io/name': 'web', 'app.kubernetes.io/managed-by': 'idpkit', 'idpkit.dev/workload': 'web' },
      annotations: { 'example.com/backup': 'daily' },
    });
  });

  it('provisions a shared resource (same type, class and id) once, among the shared objects, for every workload naming it', () => {
    const shared = { type: 'secretdb', id: 'orders.db' };
    const result = render([
      workloadFile('web', { resources: { db: shared } }, { variables: { HOST: '${resources.db.host}' } }),
      workloadFile('api', { resources: { database: shared } }, { variables: { HOST: '${resources.database.host}' } }),
    ]);
    expect(result.shared).toHaveLength(1);
    const [object] = result.shared;
    expect(object.metadata.name).toMatch(/^orders-db-[0-9a-f]{6}$/);
    expect(object.metadata.labels).toEqual({ 'app.kubernetes.io/name': object.metadata.name, 'app.kubernetes.io/managed-by': 'idpkit', 'idpkit.dev/shared': object.metadata.name });
    expect((object as any).data).toEqual({ for: 'api' });
    for (const name of ['web', 'api']) expect(container(result, name).env).toEqual([{ name: 'HOST', value: `${object.metadata.name}.db` }]);
    expect(kinds(result, 'web')).not.toContain('ConfigMap');
  });

  it('refuses a shared resource given different params in two files', () => {
    expect(
      problemsOf([
        workloadFile('web', { resources: { pp: { type: 'picky', id: 'one', params: { size: 1 } } } }),
        workloadFile('api', { resources: { pp: { type: 'picky', id: 'one', params: { size: 2 } } } }),
      ]),
    ).toEqual(['web/score.yaml: resources.pp.params differ from those of the same shared resource (type picky, id "one") at api/score.yaml: resources.pp: give the same params, or params in one place only']);
  });

  it('binds the service account to cloud identity when a resource grants it cloud access (Azure: the webhook label)', () => {
    const file = workloadFile('web', { resources: { store: { type: 'cloudstore' } } });
    const result = render([file], testPlatform('azure', 'prod', { cloudResources: true }));
    expect(result.workloads[0].cloudIdentity).toBe(true);
    expect(result.cloud).toEqual([{ kind: 'bucket', name: 'web-store', namespace: 'shop', serviceAccount: 'web' }]);
    expect(objectOf(result, 'ServiceAccount').automountServiceAccountToken).toBe(true);
    expect(podSpec(result).automountServiceAccountToken).toBe(true);
    expect(objectOf(result, 'Deployment').spec.template.metadata.labels['azure.workload.identity/use']).toBe('true');
    const aws = render([file], testPlatform('aws', 'prod', { cloudResources: true }));
    expect(objectOf(aws, 'Deployment').spec.template.metadata.labels['azure.workload.identity/use']).toBeUndefined();
  });
});

describe('renderWorkloads: volumes', () => {
  it('mounts volume resources by name or ${resources.<name>}, with sub path and read-only', () => {
    const file = workloadFile(
      'web',
      { resources: { cache: { type: 'volume' }, data: { type: 'volume', params: { size: '1Gi' } } } },
      { volumes: { '/cache': { source: 'cache' }, '/data': { source: '${resources.data}', path: '/sub/dir', readOnly: true } } },
    );
    const spec = podSpec(render([file]));
    expect(spec.containers[0].volumeMounts).toEqual([
      { name: 'idpkit-tmp', mountPath: '/tmp' },
      { name: 'cache', mountPath: '/cache' },
      { name: 'data', mountPath: '/data', subPath: 'sub/dir', readOnly: true },
    ]);
    expect(spec.volumes).toEqual([
      { name: 'idpkit-tmp', emptyDir: {} },
      { name: 'cache', emptyDir: {} },
      { name: 'data', emptyDir: { sizeLimit: '1Gi' } },
    ]);
  });

  it('runs one pod replaced by Recreate with a persistent volume one node attaches, even in prod', () => {
    const file = workloadFile('web', { resources: { data: { type: 'volume', class: 'persistent' } } }, { volumes: { '/data': { source: 'data' } } });
    const result = render([file], PROD);
    expect(objectOf(result, 'Deployment').spec).toMatchObject({ replicas: 1, strategy: { type: 'Recreate' } });
    expect(podSpec(result).volumes).toContainEqual({ name: 'data', persistentVolumeClaim: { claimName: 'web-data' } });
    expect(objectOf(result, 'PersistentVolumeClaim', 'web-data').metadata.namespace).toBe('shop');
  });

  it('lets a container mount its own /tmp instead of the emptyDir', () => {
    const file = workloadFile('web', { resources: { scratch: { type: 'volume' } } }, { volumes: { '/tmp': { source: 'scratch' } } });
    const spec = podSpec(render([file]));
    expect(spec.containers[0].volumeMounts).toEqual([{ name: 'scratch', mountPath: '/tmp' }]);
    expect(spec.volumes).toEqual([{ name: 'scratch', emptyDir: {} }]);
  });

  it('reports a source that is no resource or no volume, a sub path leaving the volume, and a path mounted twice', () => {
    const file = workloadFile(
      'web',
      { resources: { db: { type: 'secretdb' }, data: { type: 'volume' } } },
      {
        files: { '/data/': { content: 'x' } },
        volumes: { '/a': { source: 'nothing' }, '/b': { source: '${resources.db}' }, '/c': { source: 'data', path: '../up' }, '/data': { source: 'data' } },
      },
    );
    expect(problemsOf([file])).toEqual([
      'web/score.yaml: containers.main.volumes["/a"].source "nothing" names no resource of this workload (resources: db, data); declare a resource of type volume',
      'web/score.yaml: containers.main.volumes["/b"].source "${resources.db}" is a resource of type secretdb, which is not a volume (volume sources are resources of type volume)',
      'web/score.yaml: containers.main.volumes["/c"].path "../up" leaves the volume (".." is not allowed)',
      'web/score.yaml: containers.main.volumes["/data"]: "/data" is also mounted by containers.main.files["/data/"] (mount each path once per container)',
    ]);
  });
});

describe('renderWorkloads: network policy', () => {
  it.each(['aws', 'azure', 'gcp'] as const)('on %s lets in the namespace and monitoring on pod ports, and out DNS and what resources need', (cloud) => {
    const result = render([WEB, workloadFile('api', { resources: { web: { type: 'service' }, db: { type: 'secretdb' } } })], testPlatform(cloud, 'prod'));
    const web = objectOf(result, 'NetworkPolicy', 'web').spec;
    expect(web.podSelector).toEqual({ matchLabels: { 'idpkit.dev/workload': 'web' } });
    expect(web.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(web.ingress).toEqual([{ from: [{ podSelector: {} }, { namespaceSelector: { matchLabels: { 'idpkit.dev/platform-monitoring': 'true' } } }], ports: [{ protocol: 'TCP', port: 8080 }] }]);
    const api = objectOf(result, 'NetworkPolicy', 'api').spec;
    expect(api.ingress).toEqual([]);
    const resolvers = cloud === 'gcp' ? ['169.254.20.10/32', '169.254.169.254/32'] : ['169.254.20.10/32'];
    expect(api.egress).toEqual([
      {
        to: [
          { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } },
          ...resolvers.map((cidr) => ({ ipBlock: { cidr } })),
        ],
        ports: [
          { protocol: 'UDP', port: 53 },
          { protocol: 'TCP', port: 53 },
        ],
      },
      { to: [{ podSelector: { matchLabels: { db: 'api-db' } } }], ports: [{ protocol: 'TCP', port: 5432 }] },
      { to: [{ podSelector: { matchLabels: { 'idpkit.dev/workload': 'web' } } }], ports: [{ protocol: 'TCP', port: 8080 }] },
    ]);
  });
});

describe('renderWorkloads: names', () => {
  it('refuses two workloads of one name, a port number used twice, port names Kubernetes refuses and a Service name starting with a digit', () => {
    const problems = problemsOf([
      workloadFile('web', { service: { ports: { http: { port: 80 }, 'http-alternative-port': { port: 80 } } } }),
      { ...workloadFile('web'), path: 'copy/score.yaml' },
      workloadFile('1st', { service: { ports: { http: { port: 80 } } } }),
    ]);
    expect(problems).toEqual([
      'copy/score.yaml: metadata.name "web" is also the name of the workload of web/score.yaml (workload names are unique in namespace "shop": rename one)',
      '1st/score.yaml: metadata.name "1st" starts with a digit: a workload with service.ports is a Kubernetes Service, whose name must start with a letter',
      'web/score.yaml: service.ports: the name "http-alternative-port" is not a Kubernetes port name (at most 15 lowercase letters, digits and "-", with a letter, no "--"; e.g. "http")',
      'web/score.yaml: service.ports.http-alternative-port.port 80 (TCP) is also the port of service.ports.http: give each port its own number',
    ]);
  });

  it('refuses objects of one kind and name from two workloads', () => {
    const problems = problemsOf([workloadFile('web', { resources: { 'api-db': { type: 'secretdb' } } }), workloadFile('web-api', { resources: { db: { type: 'secretdb' } } })]);
    expect(problems).toEqual(['web-api/score.yaml (workload "web-api"): ConfigMap "web-api-db" is also an object of web/score.yaml (workload "web"): rename the workload or the resource']);
  });

  it('refuses a namespace that is not a DNS label', () => {
    expect(problemsOf([WEB], DEV, { namespace: 'Shop_1' })).toEqual(['namespace "Shop_1" is not a namespace name (a DNS label, e.g. "payments")']);
  });

  it('collects the problems of every file into one error (the Score full sample among them)', () => {
    const sample = { path: 'score-full.yaml', text: readFileSync(join(__dirname, '../../../fixtures/score/score-full.yaml'), 'utf8') };
    const problems = problemsOf([sample, workloadFile('web', {}, { image: '' })]);
    expect(problems).toContain('web/score.yaml: containers.main.image "" is not allowed: must be not empty');
    expect(problems).toContain(
      'score-full.yaml: resources.resource-one1.type "Resource-One" is not a resource type idpkit provisions in environment "dev-aws" (types available: postgres, redis, dns, route, volume, environment, service, secretdb, picky)',
    );
    expect(problems).toContain(
      'score-full.yaml: containers.container-two2.image is "." (the image the workload\'s pipeline builds): give the image to render with for container "container-two2" (render option images, e.g. { "container-two2": "registry.example/app:1.2.3" })',
    );
    expect(problems).toContain('score-full.yaml: containers.container-one1.resources.requests.memory "10Gi" is more than resources.limits.memory "128M": a request must not exceed its limit');
  });
});

describe('renderWorkloads: previews and determinism', () => {
  it('renders previews with dev defaults and without namespaces', () => {
    const result = render([WEB], PROD, { namespace: 'preview-42', preview: true });
    expect(objectOf(result, 'Deployment').spec.replicas).toBe(1);
    expect(kinds(result, 'web')).not.toContain('PodDisruptionBudget');
    for (const object of result.workloads[0].objects) expect(object.metadata.namespace).toBeUndefined();
  });

  it('gives identical files for the same input, whatever the order of the files', () => {
    const files = [WEB, workloadFile('api', { resources: { web: { type: 'service' }, db: { type: 'secretdb', id: 'shared-db' } } }, { variables: { URL: 'x${resources.db.password}' } })];
    const first = renderWorkloads(files, PROD, OPTIONS).files;
    expect(renderWorkloads(files, PROD, OPTIONS).files).toEqual(first);
    expect(Object.keys(renderWorkloads([...files].reverse(), PROD, OPTIONS).files)).toEqual(Object.keys(first));
    expect(renderWorkloads([...files].reverse(), PROD, OPTIONS).files).toEqual(first);
  });
});

describe('renderWorkloads: upstream schemas', () => {
  it('renders objects the Kubernetes schemas accept, on every cloud and tier', () => {
    const file = workloadFile(
      'web',
      {
        service: { ports: { http: { port: 80, targetPort: 8080 }, dns: { port: 53, protocol: 'UDP' } } },
        resources: { data: { type: 'volume', class: 'persistent', params: { size: '2Gi', storageClass: 'gp3' } }, cache: { type: 'volume' }, db: { type: 'secretdb' }, env: { type: 'environment' } },
      },
      {
        command: ['/app'],
        args: ['--name=${metadata.name}'],
        variables: { URL: 'postgres://${resources.db.username}@${resources.db.host}', PASSWORD: '${resources.db.password}', REGION: '${resources.env.region}' },
        files: { '/etc/app.conf': { content: 'a', mode: '0640' }, '/etc/bin': { binaryContent: 'AAEC' } },
        volumes: { '/data': { source: 'data' }, '/cache': { source: 'cache', path: 'sub' } },
        livenessProbe: { httpGet: { path: '/livez', port: 8080, httpHeaders: [{ name: 'X-A', value: 'b' }] } },
        readinessProbe: { exec: { command: ['/ready'] } },
        resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '1', memory: '1Gi' } },
      },
    );
    for (const [cloud, tier] of CLOUD_TIERS) render([file], testPlatform(cloud, tier, { cloudResources: true }));
    render([file], PROD, { namespace: 'preview-1', preview: true });
    expect(rendered.length).toBeGreaterThan(50);
    expect(schemaViolations(rendered)).toEqual([]);
  });
});
