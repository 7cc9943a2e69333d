/**
 * The golden paths read as a specification: each Template validates with the scaffolder's own
 * validator; its parameters and steps; and a dry run of its steps (templated as the scaffolder
 * does) per environment and database gives a service whose catalog entry validates, whose Score
 * file idpkit renders into objects valid against the upstream schemas, and whose pipeline reaches
 * GitHub with its own expressions intact.
 */
import { componentEntityV1alpha1Validator } from '@backstage/catalog-model';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { KubernetesObject } from '../../../../constructs/core/manifests';
import {
  COPY_WITHOUT_TEMPLATING,
  GOLDEN_PATH_NAMES,
  GoldenPathEnvironment,
  GoldenPathsProps,
  PUSH_IDENTITY_VARIABLES,
  goldenPathFiles,
  goldenPathTemplate,
  skeletonFiles,
} from '../../../../constructs/interface/backstage/golden-paths';
import { renderWorkloads } from '../../../../constructs/orchestration/workloads/render';
import { environmentSets, validateEnvironment, type Environment } from '../../../../environments';
import { goldenPathsOf } from '../../../../stacks/golden-paths';
import { workloadPlatformOf } from '../../../../stacks/workloads';
import { schemaViolations } from '../../../support/kubernetes-schemas';
import { dryRunTemplate, entityProblems, fetchTemplate, templateProblems } from '../../../support/scaffolder';

const ENVIRONMENTS: readonly Environment[] = environmentSets.all.map((config) => validateEnvironment(config));
const PROPS = goldenPathsOf(ENVIRONMENTS)!;
const FILES = goldenPathFiles(PROPS);
const DATABASES = ['none', 'postgres'] as const;
const SAMPLE = { name: 'orders', owner: 'group:default/shop', team: 'shop' };
const GITHUB_EXPRESSION = /\$\{\{\s*[^}]+\}\}/g;

/** A template's own files, by path relative to its folder. */
const templateFolder = (name: string): Record<string, string> =>
  Object.fromEntries(Object.entries(FILES).flatMap(([path, text]) => (path.startsWith(`templates/${name}/`) ? [[path.slice(`templates/${name}/`.length), text]] : [])));
const templateOf = (name: string): any => parse(FILES[`templates/${name}/template.yaml`]);
const stepOf = (name: string, id: string): any => templateOf(name).spec.steps.find((step: any) => step.id === id);
const run = (name: string, environment: string, database: string) =>
  dryRunTemplate(templateFolder(name), { name: SAMPLE.name, owner: SAMPLE.owner, environment, database });

/** One environment of the props, by name. */
const factsOf = (name: string): GoldenPathEnvironment => PROPS.environments.find((env) => env.name === name)!;

const CASES = GOLDEN_PATH_NAMES.flatMap((name) => ENVIRONMENTS.flatMap((env) => DATABASES.map((database) => [name, env.name, database] as const)));

describe('goldenPathFiles', () => {
  test('publishes a template.yaml and a skeleton per golden path, sorted, and the same files every time', () => {
    expect(GOLDEN_PATH_NAMES).toEqual(['node-service', 'python-service', 'go-api']);
    const paths = Object.keys(FILES);
    expect(paths).toEqual([...paths].sort());
    expect(new Set(paths.map((path) => path.split('/').slice(0, 2).join('/')))).toEqual(new Set(GOLDEN_PATH_NAMES.map((name) => `templates/${name}`)));
    for (const name of GOLDEN_PATH_NAMES) {
      expect(paths).toContain(`templates/${name}/template.yaml`);
      for (const shared of ['score.yaml', 'catalog-info.yaml', '.github/workflows/ci.yml', 'Dockerfile', 'README.md', '.gitignore', '.dockerignore']) {
        expect(paths).toContain(`templates/${name}/skeleton/${shared}`);
      }
    }
    expect(goldenPathFiles(PROPS)).toEqual(FILES);
  });

  test('ships every skeleton file in the npm package: none is named .gitignore or .npmignore (npm leaves those out)', () => {
    const root = join(__dirname, '..', '..', '..', '..', 'golden-paths');
    const names = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? names(join(dir, entry.name)) : [entry.name]));
    expect(names(root).filter((name) => name === '.gitignore' || name === '.npmignore')).toEqual([]);
    expect(JSON.parse(readFileSync(join(root, '..', 'package.json'), 'utf8')).files).toContain('golden-paths/**');
  });

  test('has each skeleton carry its language files and the shared ones', () => {
    expect(Object.keys(skeletonFiles('node-service'))).toEqual(expect.arrayContaining(['package.json', 'package-lock.json', 'src/app.js', 'src/readiness.js', 'src/server.js', 'test/app.test.js']));
    expect(Object.keys(skeletonFiles('python-service'))).toEqual(expect.arrayContaining(['requirements.txt', 'service/app.py', 'service/__main__.py', 'service/readiness.py', 'tests/test_app.py']));
    expect(Object.keys(skeletonFiles('go-api'))).toEqual(expect.arrayContaining(['go.mod', 'main.go', 'handler.go', 'readiness.go', 'handler_test.go']));
  });
});

describe.each(GOLDEN_PATH_NAMES)('the %s template', (name) => {
  const template = templateOf(name);

  test('validates with the scaffolder\'s Template validator and the catalog\'s entity policies', async () => {
    expect(await templateProblems(template)).toEqual([]);
    expect(template).toMatchObject({ apiVersion: 'scaffolder.backstage.io/v1beta3', kind: 'Template', metadata: { name }, spec: { type: 'service', owner: 'group:default/platform-team' } });
    expect(template.metadata.title).toEqual(expect.any(String));
    expect(template.metadata.tags).toContain('service');
  });

  test('asks for the name (a DNS label), the owner (a group, with the OwnerPicker), the environment and the database', () => {
    const [service, placement] = template.spec.parameters;
    expect(service.required).toEqual(['name', 'owner']);
    const pattern = new RegExp(service.properties.name.pattern);
    expect(['orders', 'web-2', 'a'].filter((value) => !pattern.test(value))).toEqual([]);
    expect(['Orders', '2web', 'web-', 'we_b', ''].filter((value) => pattern.test(value))).toEqual([]);
    expect(service.properties.name.maxLength).toBe(63);
    expect(service.properties.owner).toMatchObject({ type: 'string', 'ui:field': 'OwnerPicker', 'ui:options': { allowedKinds: ['Group'] } });
    expect(placement.required).toEqual(['environment', 'database']);
    expect(placement['ui:order']).toEqual(['environment', 'database']);
    expect(placement.properties.environment).toMatchObject({ type: 'string', enum: ENVIRONMENTS.map((env) => env.name), default: 'dev' });
    expect(placement.properties.database).toMatchObject({ type: 'string', enum: ['none', 'postgres'], default: 'none' });
    // Every shipped environment provisions PostgreSQL with a login.
    expect(placement.if).toBeUndefined();
  });

  test('gives the skeleton every value it uses (the scaffolder renders an unknown one as nothing)', () => {
    const used = new Set(Object.values(skeletonFiles(name)).flatMap((text) => [...text.matchAll(/\bvalues\.([A-Za-z]+)/g)].map((match) => match[1])));
    expect([...used].filter((value) => !(value in stepOf(name, 'fetch').input.values))).toEqual([]);
    expect(used.size).toBeGreaterThan(5);
  });

  test('fetches the skeleton, publishes it on GitHub, registers it, and opens the GitOps pull request with its Score file', () => {
    expect(template.spec.steps.map((step: any) => [step.id, step.action])).toEqual([
      ['fetch', 'fetch:template'],
      ['publish', 'publish:github'],
      ['register', 'catalog:register'],
      ['gitops', 'fetch:template:file'],
      ['pullRequest', 'publish:github:pull-request'],
    ]);
    expect(stepOf(name, 'fetch').input).toMatchObject({ url: './skeleton', targetPath: './service', copyWithoutTemplating: ['.github/workflows/*'] });
    expect(stepOf(name, 'fetch').input.values.team).toBe("${{ parameters.owner | parseEntityRef | pick('name') }}");
    expect(stepOf(name, 'publish').input).toMatchObject({ repoUrl: 'github.com?owner=acme&repo=${{ parameters.name }}', sourcePath: './service', defaultBranch: 'main' });
    expect(stepOf(name, 'register').input).toEqual({ repoContentsUrl: '${{ steps.publish.output.repoContentsUrl }}', catalogInfoPath: '/catalog-info.yaml' });
    expect(stepOf(name, 'gitops').input).toMatchObject({ url: './skeleton/score.yaml', values: stepOf(name, 'fetch').input.values });
    expect(stepOf(name, 'pullRequest').input).toMatchObject({ repoUrl: 'github.com?owner=acme&repo=platform-gitops', sourcePath: './gitops' });
    // The facts every environment shares are written as they are, not looked up.
    expect(stepOf(name, 'fetch').input.values.githubOwner).toBe('acme');
  });

  test.each(ENVIRONMENTS.map((env) => env.name))('in %s: sets the repository variables of the environment and links the repository, the entity and the pull request', (environment) => {
    const facts = factsOf(environment);
    const { inputs, output } = run(name, environment, 'none');
    const imageRepository = `${facts.repositoryPrefix}shop/orders`;
    const cloudVariables = { aws: ['AWS_REGION'], azure: ['AZURE_SUBSCRIPTION_ID', 'AZURE_TENANT_ID'], gcp: [] }[facts.cloud];
    expect(Object.keys(inputs.publish.repoVariables).sort()).toEqual(['CLOUD', 'IMAGE_REPOSITORY', 'REGISTRY', ...cloudVariables].sort());
    expect(inputs.publish.repoVariables).toMatchObject({ CLOUD: facts.cloud, REGISTRY: facts.registry, IMAGE_REPOSITORY: imageRepository });
    expect(inputs.publish.repoUrl).toBe('github.com?owner=acme&repo=orders');
    expect(inputs.fetch.values).toMatchObject({ name: 'orders', owner: 'group:default/shop', team: 'shop', environment, database: 'none', cloud: facts.cloud, registry: facts.registry, imageRepository });
    expect(inputs.gitops.targetPath).toBe(`./gitops/services/${environment}/shop/orders/score.yaml`);
    expect(inputs.pullRequest).toMatchObject({ branchName: `add-${environment}-shop-orders`, title: `Add service orders of team shop to ${environment}` });
    expect(output.links).toEqual([
      { title: 'Repository', url: 'https://github.com/acme/orders.git' },
      { title: 'Open in catalog', icon: 'catalog', entityRef: 'component:default/orders' },
      { title: 'GitOps pull request', url: 'https://github.com/acme/platform-gitops/pull/1' },
    ]);
  });
});

describe('the rendered skeletons', () => {
  const runs = CASES.map(([name, environment, database]) => ({ name, environment, database, result: run(name, environment, database) }));
  const objects: KubernetesObject[] = [];

  test.each(runs.map((each) => [each.name, each.environment, each.database, each] as const))('%s in %s with database %s: every value substituted, nothing of the templating left', (_name, _environment, _database, { result }) => {
    for (const [path, text] of Object.entries(result.workspace)) {
      if (path.startsWith('service/.github/')) continue;
      expect([path, text.match(/\$\{\{|\{%|%\}|\{#/g)]).toEqual([path, null]);
    }
  });

  test.each(runs.map((each) => [each.name, each.environment, each.database, each] as const))('%s in %s with database %s: its catalog entity validates and points at the environment', async (_name, environment, database, { result }) => {
    const entity = parse(result.workspace['service/catalog-info.yaml']);
    expect(await entityProblems(entity, componentEntityV1alpha1Validator)).toEqual([]);
    expect(entity).toMatchObject({
      kind: 'Component',
      metadata: {
        name: 'orders',
        annotations: {
          'github.com/project-slug': 'acme/orders',
          'backstage.io/kubernetes-id': 'orders',
          'backstage.io/kubernetes-label-selector': 'idpkit.dev/workload=orders',
          'backstage.io/kubernetes-namespace': 'shop',
          'argocd/app-name': 'workloads-shop',
        },
      },
      spec: { type: 'service', owner: 'group:default/shop', system: environment, dependsOn: [`resource:default/${environment}-cluster`] },
    });
    expect(entity.metadata.tags.includes('postgres')).toBe(database === 'postgres');
  });

  test.each(runs.map((each) => [each.name, each.environment, each.database, each] as const))('%s in %s with database %s: idpkit renders its Score file for the environment, and the GitOps copy is the same file', (_name, environment, database, { result }) => {
    const score = result.workspace['service/score.yaml'];
    expect(result.workspace[`gitops/services/${environment}/shop/orders/score.yaml`]).toBe(score);
    const env = ENVIRONMENTS.find((each) => each.name === environment)!;
    const rendered = renderWorkloads([{ path: 'score.yaml', text: score }], workloadPlatformOf(env), { namespace: 'shop', images: { '*': `${factsOf(environment).registry}/shop/orders:0123abc` } });
    const [workload] = rendered.workloads;
    expect(workload).toMatchObject({ name: 'orders', namespace: 'shop' });
    const deployment: any = workload.objects.find((object) => object.kind === 'Deployment');
    const container = deployment.spec.template.spec.containers[0];
    expect(container.readinessProbe.httpGet).toMatchObject({ path: '/healthz/ready', port: 8080 });
    expect(container.livenessProbe.httpGet).toMatchObject({ path: '/healthz/live', port: 8080 });
    const variables = Object.fromEntries(container.env.map((variable: any) => [variable.name, variable]));
    expect(variables.PORT.value).toBe('8080');
    if (database === 'postgres') {
      expect(Object.keys(variables)).toEqual(expect.arrayContaining(['DATABASE_HOST', 'DATABASE_PORT', 'DATABASE_NAME', 'DATABASE_USER', 'DATABASE_PASSWORD']));
      expect(variables.DATABASE_PASSWORD.valueFrom.secretKeyRef).toEqual(expect.objectContaining({ key: expect.any(String), name: expect.any(String) }));
    } else {
      expect(Object.keys(variables)).toEqual(['PORT']);
    }
    expect(workload.objects.find((object) => object.kind === 'Service')).toMatchObject({ spec: { ports: [{ port: 80, targetPort: 8080 }] } });
    // idpkit's own kinds (the Crossplane database claim) are not upstream schemas: the engine checks those.
    objects.push(...workload.objects.filter((object) => object.apiVersion !== 'database.idpkit.dev/v1alpha1'), ...rendered.shared);
  });

  test('the objects of every rendered Score file are valid against the upstream schemas', () => {
    expect(objects.length).toBeGreaterThan(CASES.length);
    expect(schemaViolations(objects)).toEqual([]);
  });

  test.each(GOLDEN_PATH_NAMES)('%s: the pipeline reaches GitHub as written, its expressions intact', (name) => {
    const source = skeletonFiles(name)['.github/workflows/ci.yml'];
    for (const each of runs.filter((candidate) => candidate.name === name)) expect(each.result.workspace['service/.github/workflows/ci.yml']).toBe(source);
    expect(source.match(GITHUB_EXPRESSION)).toEqual(expect.arrayContaining(['${{ github.sha }}', '${{ vars.REGISTRY }}', '${{ steps.gcp.outputs.access_token }}']));
    // Templated, GitHub's expressions would be the scaffolder's: they render to nothing (or fail).
    let templated: string | undefined;
    try {
      templated = fetchTemplate({ 'ci.yml': source }, { values: {} })['ci.yml'];
    } catch {
      templated = undefined;
    }
    expect(templated).not.toBe(source);
    expect(COPY_WITHOUT_TEMPLATING).toEqual(['.github/workflows/*']);
  });
});

describe('the CI pipeline', () => {
  const workflow = parse(skeletonFiles('node-service')['.github/workflows/ci.yml']);
  const steps = (job: string): any[] => workflow.jobs[job].steps;
  const uses = (job: string): string[] => steps(job).flatMap((step) => (step.uses ? [step.uses] : []));

  test('runs on pull requests and pushes to main, reading the repository only, and pushes only from main', () => {
    expect(workflow.on).toEqual({ pull_request: null, push: { branches: ['main'] } });
    expect(workflow.permissions).toEqual({ contents: 'read' });
    expect(workflow.jobs.build.permissions).toBeUndefined();
    expect(workflow.jobs.push).toMatchObject({ needs: 'build', if: "github.event_name == 'push' && github.ref == 'refs/heads/main'", permissions: { contents: 'read', 'id-token': 'write' } });
  });

  test('tests in the Dockerfile\'s test stage, builds, and scans with a pinned Trivy that fails on critical and high findings', () => {
    const runs = steps('build').flatMap((step) => (step.run ? [step.run] : []));
    expect(runs).toEqual(expect.arrayContaining(['docker build --target test .', 'docker build --tag "$IMAGE" .']));
    const trivy = steps('build').find((step) => String(step.uses).startsWith('aquasecurity/trivy-action@'));
    expect(trivy.uses).toMatch(/^aquasecurity\/trivy-action@[0-9a-f]{40}$/);
    expect(trivy.with).toMatchObject({ 'image-ref': '${{ env.IMAGE }}', severity: 'CRITICAL,HIGH', 'exit-code': '1' });
    expect(workflow.env.IMAGE).toBe('${{ vars.REGISTRY }}/${{ vars.IMAGE_REPOSITORY }}:${{ github.sha }}');
  });

  test('pushes the scanned image after logging in with OIDC to the cloud of the CLOUD variable', () => {
    expect(uses('push')).toEqual(
      expect.arrayContaining(['aws-actions/configure-aws-credentials@v4', 'aws-actions/amazon-ecr-login@v2', 'azure/login@v2', 'google-github-actions/auth@v2', 'docker/login-action@v3']),
    );
    const byCloud = (cloud: string) => steps('push').filter((step) => step.if === `vars.CLOUD == '${cloud}'`).map((step) => step.uses ?? step.run);
    expect(byCloud('aws')).toEqual(['aws-actions/configure-aws-credentials@v4', 'aws-actions/amazon-ecr-login@v2']);
    expect(byCloud('azure')).toEqual(['azure/login@v2', 'az acr login --name "${REGISTRY%%.*}"']);
    expect(byCloud('gcp')).toEqual(['google-github-actions/auth@v2', 'docker/login-action@v3']);
    const source = JSON.stringify(workflow.jobs.push);
    for (const variable of Object.values(PUSH_IDENTITY_VARIABLES).flat()) expect(source).toContain(`vars.${variable}`);
    expect(steps('push').at(-1).run).toContain('docker push "$IMAGE"');
  });

  test('is the same in every skeleton', () => {
    for (const name of GOLDEN_PATH_NAMES) expect(skeletonFiles(name)['.github/workflows/ci.yml']).toBe(skeletonFiles('node-service')['.github/workflows/ci.yml']);
  });
});

describe('goldenPathTemplate', () => {
  const base: GoldenPathEnvironment = { ...factsOf('dev') };

  test('looks up what differs per environment, and leaves out what an environment does not have', () => {
    const props: GoldenPathsProps = {
      owner: 'platform-team',
      environments: [base, { ...base, name: 'other', githubOwner: 'acme-other', gitops: { owner: 'acme-other', repo: 'gitops', branch: 'live' }, postgres: { composition: 'cloudnative-pg' } }],
    };
    const files = Object.fromEntries(Object.entries(goldenPathFiles(props)).flatMap(([path, text]) => (path.startsWith('templates/go-api/') ? [[path.slice('templates/go-api/'.length), text]] : [])));
    const parameters = { name: 'orders', owner: 'group:default/shop', database: 'postgres' };
    const dev = dryRunTemplate(files, { ...parameters, environment: 'dev' });
    const other = dryRunTemplate(files, { ...parameters, environment: 'other' });
    expect([dev.inputs.publish.repoUrl, other.inputs.publish.repoUrl]).toEqual(['github.com?owner=acme&repo=orders', 'github.com?owner=acme-other&repo=orders']);
    expect([dev.inputs.pullRequest.repoUrl, other.inputs.pullRequest.repoUrl]).toEqual(['github.com?owner=acme&repo=platform-gitops', 'github.com?owner=acme-other&repo=gitops']);
    expect([dev.inputs.pullRequest.targetBranchName, other.inputs.pullRequest.targetBranchName]).toEqual([undefined, 'live']);
    expect([dev.inputs.fetch.values.postgresComposition, other.inputs.fetch.values.postgresComposition]).toEqual([undefined, 'cloudnative-pg']);
    expect(dev.workspace['service/score.yaml']).not.toContain('composition');
    expect(parse(other.workspace['service/score.yaml']).resources.db).toEqual({ type: 'postgres', params: { composition: 'cloudnative-pg' } });
    expect(other.workspace['service/go.mod']).toContain('module github.com/acme-other/orders');
  });

  test('refuses PostgreSQL in environments that cannot provision it, and says so', async () => {
    const template: any = goldenPathTemplate('node-service', { owner: 'platform-team', environments: [base, { ...base, name: 'plain', postgres: undefined }] });
    expect(await templateProblems(template)).toEqual([]);
    const placement = template.spec.parameters[1];
    expect(placement.if).toEqual({ properties: { environment: { enum: ['plain'] } } });
    expect(placement.then).toEqual({ properties: { database: { const: 'none' } } });
    expect(placement.properties.database.description).toContain('no PostgreSQL in plain');
  });

  test('throws when the owner is not an entity name, no environment is given, or one is given twice', () => {
    const problems = (props: GoldenPathsProps): readonly string[] => {
      try {
        goldenPathTemplate('go-api', props);
        return [];
      } catch (error: any) {
        expect(error.code).toBe('IDPKIT_INVALID_PROPS');
        return error.problems;
      }
    };
    expect(problems({ owner: 'Platform Team', environments: [base] })).toEqual([expect.stringContaining('owner "Platform Team" is not a Backstage entity name')]);
    expect(problems({ owner: 'platform-team', environments: [] })).toEqual([expect.stringContaining('environments is empty')]);
    expect(problems({ owner: 'platform-team', environments: [base, base] })).toEqual([expect.stringContaining('environment "dev" is listed twice')]);
    expect(problems({ owner: 'platform-team', environments: [{ ...base, repositoryPrefix: 'dev' }] })).toEqual([expect.stringContaining('repositoryPrefix "dev" must be empty or end in "/"')]);
    expect(problems({ owner: 'platform-team', environments: [{ ...base, registry: 'a}}b' }] })).toEqual([expect.stringContaining('registry "a}}b" contains one of')]);
  });
});
