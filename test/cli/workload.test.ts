import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { IdpkitError } from '../../constructs/core/errors';
import type { RenderedWorkloads, RenderOptions, ScoreFile, WorkloadPlatform } from '../../constructs/orchestration/workloads/types';
import { EXIT_FAILURE, EXIT_USAGE } from '../../cli/io';
import { writeLayoutAtomically as writeAnyLayout } from '../../cli/layout-writer';
import { parseImage, parseVariable, renderWorkloadFiles, renderWrittenTable, workloadUnitOf } from '../../cli/workload';
import { devConfig } from '../helpers';
import { schemaViolations } from '../support/kubernetes-schemas';
import { idpkit, tempDir } from './cli-helpers';
import { tree } from '../support/files';

/** Writes files (path -> content) under a directory. */
function writeTree(dir: string, files: Record<string, string>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
}

/** A Score file of one container; `namespace` annotates it. */
const score = (name: string, namespace?: string) =>
  [
    'apiVersion: score.dev/v1b1',
    'metadata:',
    `  name: ${name}`,
    ...(namespace ? ['  annotations:', `    idpkit.dev/namespace: ${namespace}`] : []),
    'containers:',
    '  main:',
    '    image: .',
    '',
  ].join('\n');

/** A stand-in for the engine: one Deployment per Score file, a shared Secret, the namespace's Argo CD file; records its calls. */
function fakeRenderer() {
  const calls: { files: readonly ScoreFile[]; platform: WorkloadPlatform; options: RenderOptions }[] = [];
  const render = (files: readonly ScoreFile[], platform: WorkloadPlatform, options: RenderOptions): RenderedWorkloads => {
    calls.push({ files, platform, options });
    const root = options.preview ? '' : `workloads/${options.namespace}/`;
    const workloads = files.map((file) => {
      const name = (parse(file.text) as { metadata: { name: string } }).metadata.name;
      const deployment = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name } };
      return { name, namespace: options.namespace, source: file.path, serviceAccount: name, cloudIdentity: false, objects: [deployment] };
    });
    const layout: Record<string, string> = {
      ...Object.fromEntries(workloads.map((workload) => [`${root}${workload.name}/deployment-${workload.name}.yaml`, `kind: Deployment\nname: ${workload.name}\n`])),
      [`${root}_shared/redis-cache.yaml`]: 'kind: StatefulSet\n',
      ...(options.preview ? {} : { [`workloads-${options.namespace}.yaml`]: 'kind: Application\n' }),
    };
    return { workloads, shared: [], files: layout, cloud: [] };
  };
  return { render, calls };
}

describe('writeLayoutAtomically with the workload units', () => {
  const writeLayoutAtomically = (out: string, files: Record<string, string>) => writeAnyLayout(out, files, workloadUnitOf);
  const layout = {
    'workloads-shop.yaml': 'kind: Application\n',
    'workloads/shop/web/deployment-web.yaml': 'kind: Deployment\n',
    'workloads/shop/web/service-web.yaml': 'kind: Service\n',
    'workloads/shop/_shared/statefulset-cache.yaml': 'kind: StatefulSet\n',
  };

  test('writes the layout into a directory it creates, and leaves no temporary directory beside it', () => {
    const base = tempDir();
    const out = join(base, 'environments', 'dev');
    const written = writeLayoutAtomically(out, layout);
    expect(tree(out)).toEqual(layout);
    expect(written).toEqual({
      directory: out,
      directories: ['workloads/shop/web'],
      singleFiles: ['workloads-shop.yaml', 'workloads/shop/_shared/statefulset-cache.yaml'],
      fileCount: 4,
    });
    expect(readdirSync(join(base, 'environments'))).toEqual(['dev']);
  });

  test("replaces a rendered workload's directory whole and shared files one by one, and keeps everything else", () => {
    const out = tempDir();
    writeTree(out, {
      'root.yaml': 'kind: Application\n',
      'workloads-shop.yaml': 'old\n',
      'workloads/shop/web/deployment-web.yaml': 'old\n',
      'workloads/shop/web/configmap-web-stale.yaml': 'old\n',
      'workloads/shop/api/deployment-api.yaml': 'api\n',
      'workloads/shop/_shared/statefulset-cache.yaml': 'old\n',
      'workloads/shop/_shared/statefulset-other.yaml': 'other\n',
    });
    writeLayoutAtomically(out, layout);
    expect(tree(out)).toEqual({
      ...layout,
      'root.yaml': 'kind: Application\n',
      'workloads/shop/api/deployment-api.yaml': 'api\n',
      'workloads/shop/_shared/statefulset-other.yaml': 'other\n',
    });
    expect(readdirSync(dirname(out)).filter((name) => name.startsWith(`.${out.split('/').pop()}.idpkit-`))).toEqual([]);
  });

  test('puts back what it had moved when a later move fails, and removes its temporary directory', () => {
    const out = tempDir();
    // `workloads` is a file: the workload directory cannot be placed, after workloads-shop.yaml was.
    const before = { 'workloads-shop.yaml': 'old\n', workloads: 'not a directory\n' };
    writeTree(out, before);
    expect(() => writeLayoutAtomically(out, layout)).toThrow();
    expect(tree(out)).toEqual(before);
    expect(readdirSync(dirname(out)).filter((name) => name.startsWith(`.${out.split('/').pop()}.idpkit-`))).toEqual([]);
  });

  test('removes the directories it created when writing fails', () => {
    const base = tempDir();
    const out = join(base, 'environments', 'dev');
    expect(() => writeLayoutAtomically(out, { [`workloads/shop/web/${'x'.repeat(300)}.yaml`]: 'too long a name\n' })).toThrow(/ENAMETOOLONG/);
    expect(readdirSync(base)).toEqual([]);
  });

  test('refuses paths outside the output directory before writing anything', () => {
    const base = tempDir();
    const out = join(base, 'out');
    expect(() => writeLayoutAtomically(out, { '../escape.yaml': 'x\n', 'ok.yaml': 'x\n' })).toThrow('paths outside the output directory: ../escape.yaml');
    expect(() => writeLayoutAtomically(out, { '/etc/escape.yaml': 'x\n' })).toThrow('paths outside');
    expect(readdirSync(base)).toEqual([]);
  });
});

describe('parseImage and parseVariable', () => {
  test('read --image <container>=<ref> for one container and <ref> for every container whose image is "."', () => {
    expect(parseImage('web=ghcr.io/acme/web:1.4.2', parseImage('ghcr.io/acme/all@sha256:abc'))).toEqual({ web: 'ghcr.io/acme/web:1.4.2', '*': 'ghcr.io/acme/all@sha256:abc' });
    expect(parseImage('registry.acme.example:5000/web:1')).toEqual({ '*': 'registry.acme.example:5000/web:1' });
  });

  test('read --var KEY=VALUE, the value may hold "="', () => {
    expect(parseVariable('QUERY=a=b', parseVariable('LOG_LEVEL=debug'))).toEqual({ LOG_LEVEL: 'debug', QUERY: 'a=b' });
    expect(parseVariable('EMPTY=')).toEqual({ EMPTY: '' });
  });

  test.each([
    [['--image', 'web='], '--image "web=" is not an image reference'],
    [['--image', 'web=a', '--image', 'web=b'], '--image gives container "web" twice (a and b)'],
    [['--image', 'a', '--image', 'b'], '--image gives the image of every container twice'],
    [['--var', 'NOVALUE'], '--var "NOVALUE" is not KEY=VALUE'],
    [['--var', '1X=y'], '--var "1X=y" is not KEY=VALUE'],
    [['--var', 'A=1', '--var', 'A=2'], '--var gives A twice'],
  ])('exit 2 on %j', async (flags, message) => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'score.yaml'), score('web', 'shop'));
    const result = await idpkit(['workload', 'render', 'score.yaml', '--env', 'dev', ...flags], { cwd });
    expect(result.code).toBe(EXIT_USAGE);
    expect(result.stderr).toContain(message);
    expect(readdirSync(cwd)).toEqual(['score.yaml']);
  });
});

describe('renderWorkloadFiles', () => {
  test("renders into the environment's layout directory with the annotated namespace, images, variables, and Score-relative files", () => {
    const cwd = tempDir();
    writeTree(cwd, { 'apps/web/score.yaml': score('web', 'shop'), 'apps/api/score.yaml': score('api', 'shop'), 'apps/web/app.conf': 'port=8080\n' });
    const { render, calls } = fakeRenderer();
    const report = renderWorkloadFiles(
      { scoreFiles: ['apps/web/score.yaml', 'apps/api/score.yaml'], env: 'dev', images: { '*': 'ghcr.io/acme/web:1' }, variables: { LOG_LEVEL: 'debug' } },
      cwd,
      render,
    );
    expect(calls).toHaveLength(1);
    const [{ files, platform, options }] = calls;
    expect(files.map((file) => file.path)).toEqual(['apps/web/score.yaml', 'apps/api/score.yaml']);
    expect(platform).toMatchObject({ environment: 'dev', cloud: 'aws', cloudResources: false, gitops: { path: 'environments/dev' } });
    expect(options).toMatchObject({ namespace: 'shop', images: { '*': 'ghcr.io/acme/web:1' }, variables: { LOG_LEVEL: 'debug' }, preview: false });
    expect(options.readFile!('apps/web/app.conf').toString()).toBe('port=8080\n');
    expect(() => options.readFile!('apps/web/missing.conf')).toThrow(expect.objectContaining({ code: 'IDPKIT_INVALID_INPUT', message: expect.stringContaining('apps/web/missing.conf: cannot be read') }));
    expect(Object.keys(tree(join(cwd, 'environments', 'dev'))).sort()).toEqual([
      'workloads-shop.yaml',
      'workloads/shop/_shared/redis-cache.yaml',
      'workloads/shop/api/deployment-api.yaml',
      'workloads/shop/web/deployment-web.yaml',
    ]);
    const printed = renderWrittenTable(report, cwd);
    expect(printed).toContain('Rendered 2 workload(s) of environment "dev" into environments/dev (namespace shop): 4 file(s).');
    expect(printed).toMatch(/web\s+│ apps\/web\/score\.yaml\s+│ 1\s+│ workloads\/shop\/web\//);
    expect(printed).toContain('Also written:\n  workloads-shop.yaml\n  workloads/shop/_shared/redis-cache.yaml\n');
  });

  test('renders a preview into deploy/preview, and --out wins over the default', () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'score.yaml'), score('web', 'shop'));
    const { render, calls } = fakeRenderer();
    renderWorkloadFiles({ scoreFiles: ['score.yaml'], env: 'dev', preview: true }, cwd, render);
    expect(calls[0].options.preview).toBe(true);
    expect(Object.keys(tree(join(cwd, 'deploy', 'preview'))).sort()).toEqual(['_shared/redis-cache.yaml', 'web/deployment-web.yaml']);
    const out = tempDir();
    renderWorkloadFiles({ scoreFiles: ['score.yaml'], env: 'dev', namespace: 'billing', out }, cwd, render);
    expect(Object.keys(tree(out))).toContain('workloads/billing/web/deployment-web.yaml');
  });

  test("writes nothing when the engine refuses a workload, and passes its error on", () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'score.yaml'), score('web', 'shop'));
    const refuse = () => {
      throw new IdpkitError('IDPKIT_INVALID_INPUT', ['score.yaml: resources.db.type "mongodb" is not a resource type of environment "dev" (allowed: postgres, redis)']);
    };
    expect(() => renderWorkloadFiles({ scoreFiles: ['score.yaml'], env: 'dev' }, cwd, refuse)).toThrow('resources.db.type "mongodb"');
    expect(readdirSync(cwd)).toEqual(['score.yaml']);
  });
});

describe('idpkit workload render: bad input writes nothing and names the file, the path and the value', () => {
  /** An environment file of dev with tenant namespaces shop and billing, or with changes of its own. */
  function environmentFile(dir: string, change: (config: any) => void = () => undefined): string {
    const config = devConfig((c) => {
      c.platform.addons.tenancy = { enabled: true, teams: [{ name: 'shop', adminGroup: 'shop-admins' }, { name: 'billing', adminGroup: 'billing-admins' }] };
      change(c);
    });
    writeFileSync(join(dir, 'dev.json'), JSON.stringify(config));
    return 'dev.json';
  }

  const cases: [string, (cwd: string) => string[], number, RegExp][] = [
    ['a Score file without the namespace annotation and no --namespace', () => ['plain.yaml', '--env', 'dev'], EXIT_FAILURE, /plain\.yaml: metadata\.annotations\["idpkit\.dev\/namespace"\] is missing: give --namespace/],
    ['Score files annotated with different namespaces', () => ['web.yaml', 'billing.yaml', '--env', 'dev'], EXIT_FAILURE, /differs between the Score files \(web\.yaml: "shop", billing\.yaml: "billing"\)/],
    ['a namespace that is not a DNS label', () => ['web.yaml', '--env', 'dev', '--namespace', 'Shop_1'], EXIT_FAILURE, /--namespace "Shop_1" is not a namespace name/],
    [
      'a namespace the platform does not manage',
      (cwd) => ['web.yaml', '--env', environmentFile(cwd), '--namespace', 'payments'],
      EXIT_FAILURE,
      /--namespace "payments" is not a tenant namespace of environment "dev" \(allowed: billing, shop;/,
    ],
    ['an annotated namespace the platform does not manage', (cwd) => ['plain-other.yaml', '--env', environmentFile(cwd)], EXIT_FAILURE, /plain-other\.yaml: metadata\.annotations\["idpkit\.dev\/namespace"\] "payments" is not a tenant namespace/],
    ['a Score file that does not exist', () => ['web.yaml', 'missing.yaml', '--env', 'dev'], EXIT_FAILURE, /missing\.yaml: cannot be read: ENOENT/],
    ['a Score file given twice', () => ['web.yaml', './web.yaml', '--env', 'dev'], EXIT_FAILURE, /\.\/web\.yaml: is given twice/],
    ['an environment file that does not exist', () => ['web.yaml', '--env', 'platform/prod.yaml'], EXIT_FAILURE, /cannot read \S*platform\/prod\.yaml: it does not exist/],
    ['an invalid environment file', (cwd) => ['web.yaml', '--env', environmentFile(cwd, (c) => (c.network.cidr = '10.0.0.0/33'))], EXIT_FAILURE, /environment "dev" \(\/.+\/dev\.json\): network\.cidr "10\.0\.0\.0\/33" is not a canonical IPv4 CIDR/],
    ['an environment name that is not shipped', () => ['web.yaml', '--env', 'qa'], EXIT_USAGE, /--env "qa" is neither an environment file \(\.json, \.yaml, \.yml\) nor a shipped environment \(allowed: dev, staging, prod, azure-dev/],
    [
      'an environment without Argo CD and no --out',
      (cwd) => ['web.yaml', '--env', environmentFile(cwd, (c) => Object.assign(c.platform.addons, { argocd: { enabled: false }, backstage: { enabled: false } }))],
      EXIT_FAILURE,
      /environment "dev" runs no Argo CD with a GitOps repository \(platform\.addons\.argocd\.gitops\).*give --out <dir>/,
    ],
  ];

  test.each(cases)('%s', async (_name, args, code, message) => {
    const cwd = tempDir();
    writeTree(cwd, { 'web.yaml': score('web', 'shop'), 'billing.yaml': score('invoices', 'billing'), 'plain.yaml': score('plain'), 'plain-other.yaml': score('plain', 'payments') });
    const argv = ['workload', 'render', ...args(cwd)];
    const before = tree(cwd);
    const result = await idpkit(argv, { cwd });
    expect(result.code).toBe(code);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.stdout).toBe('');
    expect(tree(cwd)).toEqual(before);
  });
});

describe('idpkit workload render with the engine', () => {
  /** A web workload with a database, a shared Redis, a route, a file from a source and a variable. */
  const web = [
    'apiVersion: score.dev/v1b1',
    'metadata:',
    '  name: web',
    '  annotations:',
    '    idpkit.dev/namespace: shop',
    'service:',
    '  ports:',
    '    http: { port: 80, targetPort: 8080 }',
    'containers:',
    '  main:',
    '    image: .',
    '    variables:',
    '      DATABASE_HOST: ${resources.db.host}',
    '      DATABASE_PASSWORD: ${resources.db.password}',
    '      LOG_LEVEL: ${resources.env.LOG_LEVEL}',
    '    files:',
    '      /etc/web/app.conf: { source: app.conf }',
    'resources:',
    '  env: { type: environment }',
    '  db: { type: postgres }',
    '  sessions: { type: redis, id: sessions }',
    '  dns: { type: dns }',
    '  route: { type: route, params: { host: "${resources.dns.host}", path: /, port: 80 } }',
    '',
  ].join('\n');
  const worker = score('worker', 'shop').replace('containers:', 'resources:\n  sessions: { type: redis, id: sessions }\ncontainers:');

  /** A checkout of an application: the Score files, a file source. */
  function app(): string {
    const cwd = tempDir();
    writeTree(cwd, { 'web/score.yaml': web, 'web/app.conf': 'listen=8080\n', 'worker/score.yaml': worker });
    return cwd;
  }
  const render = (cwd: string, ...flags: string[]) =>
    idpkit(['workload', 'render', 'web/score.yaml', 'worker/score.yaml', '--env', 'prod', '--image', 'ghcr.io/acme/shop:1.4.2', '--var', 'LOG_LEVEL=info', ...flags], { cwd });

  test("writes the layout into the root Application's directory, every object valid, and prints what it wrote", async () => {
    const cwd = app();
    const result = await render(cwd);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const written = tree(join(cwd, 'environments', 'prod'));
    const paths = Object.keys(written);
    expect(paths).toEqual(expect.arrayContaining(['workloads-shop.yaml', 'workloads/shop/web/deployment-web.yaml', 'workloads/shop/worker/deployment-worker.yaml']));
    expect(paths.filter((path) => path.startsWith('workloads/shop/_shared/')).length).toBeGreaterThan(0);
    const objects = Object.values(written).flatMap((text) => parseAllDocuments(text).map((document) => document.toJSON()));
    const deployment = objects.find((object) => object.kind === 'Deployment' && object.metadata.name === 'web');
    expect(deployment.metadata.namespace).toBe('shop');
    expect(deployment.spec.template.spec.containers[0].image).toBe('ghcr.io/acme/shop:1.4.2');
    expect(deployment.spec.template.spec.containers[0].env).toEqual(
      expect.arrayContaining([
        { name: 'LOG_LEVEL', value: 'info' },
        { name: 'DATABASE_PASSWORD', valueFrom: { secretKeyRef: expect.objectContaining({ key: expect.any(String), name: expect.any(String) }) } },
      ]),
    );
    const application = objects.find((object) => object.kind === 'Application');
    expect(application.spec.source).toMatchObject({ path: 'environments/prod/workloads/shop', directory: { recurse: true } });
    expect(objects.find((object) => object.kind === 'Ingress').spec.ingressClassName).toBe('alb');
    expect(Object.values(objects.find((object) => object.kind === 'ConfigMap' && object.metadata.name === 'web-files').data)).toEqual(['listen=8080\n']);
    const kubernetes = objects.filter((object) => object.kind !== 'PostgreSQLInstance');
    expect(schemaViolations(kubernetes)).toEqual([]);
    expect(result.stdout).toContain('Rendered 2 workload(s) of environment "prod" into environments/prod (namespace shop)');
    expect(result.stdout).toMatch(/web\s+│ web\/score\.yaml\s+│ \d+\s+│ workloads\/shop\/web\//);
    expect(result.stdout).toContain('  workloads-shop.yaml\n');
  });

  test("replaces a workload's directory on the next render: objects it no longer has are gone, other workloads stay", async () => {
    const cwd = app();
    expect((await render(cwd)).code).toBe(0);
    const out = join(cwd, 'environments', 'prod');
    writeTree(out, { 'workloads/shop/legacy/deployment-legacy.yaml': 'kind: Deployment\n' });
    writeFileSync(join(cwd, 'web/score.yaml'), web.replace(/ {2}dns: .*\n {2}route: .*\n/, ''));
    expect((await render(cwd)).code).toBe(0);
    const paths = Object.keys(tree(out));
    expect(paths.filter((path) => path.startsWith('workloads/shop/web/') && path.includes('ingress'))).toEqual([]);
    expect(paths).toContain('workloads/shop/web/deployment-web.yaml');
    expect(paths).toContain('workloads/shop/legacy/deployment-legacy.yaml');
  });

  test('renders a preview into deploy/preview: no namespace on objects, no Argo CD Applications', async () => {
    const cwd = app();
    // Previews refuse dns and route (one preview's files serve every pull request: host names would collide).
    writeFileSync(join(cwd, 'web/score.yaml'), web.replace(/ {2}dns: .*\n {2}route: .*\n/, ''));
    const result = await idpkit(['workload', 'render', 'web/score.yaml', '--env', 'dev', '--preview', '--image', 'ghcr.io/acme/shop:pr-42', '--var', 'LOG_LEVEL=debug'], { cwd });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const written = tree(join(cwd, 'deploy', 'preview'));
    expect(Object.keys(written)).toContain('web/deployment-web.yaml');
    expect(Object.keys(written).some((path) => path.startsWith('workloads'))).toBe(false);
    const objects = Object.values(written).flatMap((text) => parseAllDocuments(text).map((document) => document.toJSON()));
    expect(objects.filter((object) => object.metadata.namespace !== undefined)).toEqual([]);
  });

  test.each([
    ['an unknown resource type', (text: string) => text.replace('type: postgres', 'type: mongodb'), /web\/score\.yaml: resources\.db\.type "mongodb"/],
    ['a placeholder that does not resolve', (text: string) => text.replace('${resources.db.host}', '${resources.db.hostname}'), /web\/score\.yaml: containers\.main\.variables\.DATABASE_HOST: placeholder \$\{resources\.db\.hostname\} is unknown: .*\(outputs: database, host/],
    ['a schema violation', (text: string) => text.replace('port: 80, targetPort', 'port: "eighty", targetPort'), /web\/score\.yaml: service\.ports\.http\.port "eighty"/],
  ])('writes nothing on %s, and names the file, the path and the value', async (_name, change, message) => {
    const cwd = app();
    writeFileSync(join(cwd, 'web/score.yaml'), change(web));
    const before = tree(cwd);
    const result = await render(cwd);
    expect(result.code).toBe(EXIT_FAILURE);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(tree(cwd)).toEqual(before);
    expect(readdirSync(cwd).sort()).toEqual(['web', 'worker']);
  });

  test("leaves an earlier render as it was when the next one is refused", async () => {
    const cwd = app();
    expect((await render(cwd)).code).toBe(0);
    const before = tree(cwd);
    writeFileSync(join(cwd, 'web/score.yaml'), web.replace('type: postgres', 'type: mongodb'));
    expect((await render(cwd)).code).toBe(EXIT_FAILURE);
    expect(tree(join(cwd, 'environments'))).toEqual(Object.fromEntries(Object.entries(before).filter(([path]) => path.startsWith('environments/')).map(([path, text]) => [path.slice('environments/'.length), text])));
  });
});
