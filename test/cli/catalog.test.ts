import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from '../../cli/io';
import { dev } from '../../environments';
import { entityProblems } from '../support/backstage';
import { idpkit, tempDir } from './cli-helpers';
import { tree } from '../support/files';
import { synthesizedSet } from '../support/synthesized-sets';

describe('idpkit catalog', () => {
  /** The default environments as main.ts synthesizes them (shared, read only); each test works on a copy. */
  let synthesized: string;
  let written: Record<string, string>;
  beforeAll(() => {
    synthesized = synthesizedSet('default');
    written = tree(join(synthesized, 'catalog'));
  });
  /** A copy of it, without the Helm charts' assets, which the catalog command never reads (a thousand files). */
  const copy = () => {
    const outdir = join(tempDir('idpkit-catalog-cli-'), 'cdktf.out');
    cpSync(synthesized, outdir, { recursive: true, verbatimSymlinks: true, filter: (path) => basename(path) !== 'assets' });
    return outdir;
  };
  const withSet = async <T>(set: string | undefined, run: () => Promise<T>): Promise<T> => {
    const before = process.env.IDPKIT_ENVIRONMENT_SET;
    if (set === undefined) delete process.env.IDPKIT_ENVIRONMENT_SET;
    else process.env.IDPKIT_ENVIRONMENT_SET = set;
    try {
      return await run();
    } finally {
      if (before === undefined) delete process.env.IDPKIT_ENVIRONMENT_SET;
      else process.env.IDPKIT_ENVIRONMENT_SET = before;
    }
  };

  test('rewrites <outdir>/catalog/ from the default environments and their stacks: what synthesis wrote, and a summary by kind', async () => {
    const outdir = copy();
    rmSync(join(outdir, 'catalog'), { recursive: true });
    const result = await withSet(undefined, () => idpkit(['catalog', outdir]));
    expect(result.stderr).toBe('');
    expect(result.code).toBe(EXIT_OK);
    expect(tree(join(outdir, 'catalog'))).toEqual(written);
    expect(result.stdout).toContain(`Wrote the catalog of 3 environment(s) (dev, staging, prod) to ${join(outdir, 'catalog')}`);
    expect(result.stdout).toMatch(/│ Location\s+│ 1\s+│/);
    expect(result.stdout).toMatch(/│ System\s+│ 3\s+│/);
    expect(result.stdout).toMatch(/│ Component\s+│ \d+\s+│/);
    const entities = Object.entries(written).filter(([path]) => !path.startsWith('templates/')).flatMap(([, text]) => parseAllDocuments(text).map((document) => document.toJS()));
    expect(await entityProblems(entities)).toEqual([]);
  });

  test('--env: the named environments (a name or a file) only; environments/ and templates/ are replaced whole', async () => {
    const outdir = copy();
    mkdirSync(join(outdir, 'catalog', 'templates', 'old-template'), { recursive: true });
    writeFileSync(join(outdir, 'catalog', 'templates', 'old-template', 'template.yaml'), 'dropped\n');
    const file = join(tempDir(), 'dev.json');
    writeFileSync(file, JSON.stringify(dev));
    const result = await idpkit(['catalog', 'cdktf.out', '--env', file, '--env', 'prod'], { cwd: join(outdir, '..') });
    expect(result.code).toBe(EXIT_OK);
    expect(result.stdout).toContain('Wrote the catalog of 2 environment(s) (dev, prod) to cdktf.out/catalog');
    const after = tree(join(outdir, 'catalog'));
    expect(Object.keys(after).filter((path) => !path.startsWith('templates/')).sort()).toEqual(['all.yaml', 'environments/dev.yaml', 'environments/prod.yaml', 'platform.yaml']);
    expect(after['environments/prod.yaml']).toBe(written['environments/prod.yaml']);
    expect(after['templates/old-template/template.yaml']).toBeUndefined();
    expect(after['templates/node-service/template.yaml']).toContain('kind: Template');
    expect(after['all.yaml']).not.toContain('staging');
  });

  test('refuses when a stack is missing, naming it and saying to synthesize first; nothing is written', async () => {
    const outdir = join(tempDir(), 'cdktf.out');
    mkdirSync(join(outdir, 'stacks'), { recursive: true });
    const result = await idpkit(['catalog', outdir, '--env', 'dev']);
    expect(result.code).toBe(EXIT_FAILURE);
    expect(result.stderr).toContain('IDPKIT_INVALID_INPUT');
    expect(result.stderr).toContain(`${join(outdir, 'stacks', 'dev-infra', 'cdk.tf.json')}: missing (environment "dev" needs it for the catalog): synthesize first`);
    expect(existsSync(join(outdir, 'catalog'))).toBe(false);
  });

  test('leaves the earlier catalog as it was when it fails (an environment whose stacks were not synthesized here)', async () => {
    const outdir = copy();
    const result = await idpkit(['catalog', outdir, '--env', 'dev', '--env', 'azure-dev']);
    expect(result.code).toBe(EXIT_FAILURE);
    expect(result.stderr).toContain('stacks/azure-dev-infra/cdk.tf.json: missing');
    expect(tree(join(outdir, 'catalog'))).toEqual(written);
    expect(readdirSync(join(outdir, '..')).filter((name) => name.includes('idpkit-'))).toEqual([]);
  });

  test('a stack that is not Terraform JSON is refused too', async () => {
    const outdir = copy();
    writeFileSync(join(outdir, 'stacks', 'dev-platform', 'cdk.tf.json'), '{ not json');
    const result = await idpkit(['catalog', outdir, '--env', 'dev']);
    expect(result.code).toBe(EXIT_FAILURE);
    expect(result.stderr).toContain('stacks/dev-platform/cdk.tf.json: is not valid JSON');
    expect(tree(join(outdir, 'catalog'))).toEqual(written);
  });

  test('usage errors: an unknown environment, an environment given twice', async () => {
    const outdir = copy();
    const unknown = await idpkit(['catalog', outdir, '--env', 'qa']);
    expect(unknown.code).toBe(EXIT_USAGE);
    expect(unknown.stderr).toContain('--env "qa" is neither an environment file');
    const twice = await idpkit(['catalog', outdir, '--env', 'dev', '--env', 'dev']);
    expect(twice.code).toBe(EXIT_USAGE);
    expect(twice.stderr).toContain('--env names environment "dev" twice');
    expect(tree(join(outdir, 'catalog'))).toEqual(written);
  });
});
