/**
 * Backstage's catalog and scaffolder, as far as idpkit's entities and golden paths use them:
 * entity validation with the catalog's own validators and policies, and a dry run of a template's
 * steps that templates exactly as the scaffolder backend does (its SecureTemplater: nunjucks with
 * `${{ }}` variables and autoescape off; its NunjucksWorkflowRunner's rendering of step inputs;
 * fetch:template and fetch:template:file), with the outputs of the GitHub and catalog actions
 * stood in for.
 *
 * @see https://github.com/backstage/backstage/blob/master/plugins/scaffolder-backend/src/lib/templating/SecureTemplater.ts
 * @see https://github.com/backstage/backstage/blob/master/plugins/scaffolder-backend/src/scaffolder/tasks/NunjucksWorkflowRunner.ts
 */
import {
  DefaultNamespaceEntityPolicy,
  EntityPolicies,
  FieldFormatEntityPolicy,
  NoForeignRootFieldsEntityPolicy,
  SchemaValidEntityPolicy,
  parseEntityRef,
  type Entity,
  type KindValidator,
} from '@backstage/catalog-model';
import { createRequire } from 'node:module';
import nunjucks from 'nunjucks';
import { posix } from 'node:path';
import { parse } from 'yaml';

/**
 * The scaffolder's Template validator, loaded without its package's types: they pull in
 * @backstage/integration's (Octokit's REST types, the Azure storage and identity SDKs), about
 * 180,000 lines that were a third of the type-check's parse time, for this one validator.
 */
const { templateEntityV1beta3Validator } = createRequire(__filename)('@backstage/plugin-scaffolder-common') as { readonly templateEntityV1beta3Validator: KindValidator };

/** The policies the catalog applies to every entity it reads. */
const CATALOG_POLICIES = EntityPolicies.allOf([
  new DefaultNamespaceEntityPolicy(),
  new NoForeignRootFieldsEntityPolicy(),
  new FieldFormatEntityPolicy(),
  new SchemaValidEntityPolicy(),
]);

/** Why the catalog refuses an entity (its policies, then the kind's validator), or [] when it accepts it. */
export async function entityProblems(entity: unknown, validator: KindValidator): Promise<string[]> {
  const problems: string[] = [];
  try {
    await CATALOG_POLICIES.enforce(entity as Entity);
  } catch (error) {
    problems.push(`policy: ${(error as Error).message}`);
  }
  try {
    if (!(await validator.check(entity as Entity))) problems.push(`kind ${(entity as Entity).kind} is not the kind the validator checks`);
  } catch (error) {
    problems.push((error as Error).message);
  }
  return problems;
}

/** Why the scaffolder refuses a Template entity (`scaffolder.backstage.io/v1beta3`), or []. */
export const templateProblems = (entity: unknown): Promise<string[]> => entityProblems(entity, templateEntityV1beta3Validator);

/** nunjucks options fetch:template takes. */
export interface TemplatingOptions {
  readonly trimBlocks?: boolean;
  readonly lstripBlocks?: boolean;
}

/** The `${{ }}` tags the scaffolder templates with (`{% %}` blocks and `{# #}` comments stay nunjucks'). */
const SCAFFOLDER_TAGS = { variableStart: '${{', variableEnd: '}}' };

/** A nunjucks environment configured as the scaffolder's SecureTemplater, with the default filters idpkit's templates use. */
function scaffolderNunjucks(options: TemplatingOptions = {}): nunjucks.Environment {
  const env = new nunjucks.Environment(null, { autoescape: false, ...options, tags: SCAFFOLDER_TAGS });
  env.addFilter('parseEntityRef', (ref: string, context?: { defaultKind?: string; defaultNamespace?: string }) => parseEntityRef(ref, context));
  // lodash's get, as the scaffolder's `pick`.
  env.addFilter('pick', (value: unknown, path: string) =>
    path.split('.').reduce<unknown>((object, key) => (object !== null && typeof object === 'object' ? (object as Record<string, unknown>)[key] : undefined), value),
  );
  return env;
}

/** Whether a string is one `${{ }}` expression and nothing else (the runner keeps its value's type then). */
function isSingleTemplateString(input: string): boolean {
  const { parser, nodes } = nunjucks as unknown as {
    parser: { parse(template: string, extensions: object, options: object): { children: { children?: unknown[] }[] } };
    nodes: { TemplateData: new (...args: unknown[]) => unknown };
  };
  const parsed = parser.parse(input, {}, { autoescape: false, tags: SCAFFOLDER_TAGS });
  return parsed.children.length === 1 && !(parsed.children[0]?.children?.[0] instanceof nodes.TemplateData);
}

/**
 * A step's input (or the template's output) rendered against the task context, as the runner
 * does: every string is templated; a string that is one expression keeps its value's type (via
 * `dump`); a string that renders empty is dropped.
 */
export function renderStepInput<T>(input: T, context: object): T {
  const env = scaffolderNunjucks();
  return JSON.parse(JSON.stringify(input), (_key, value: unknown) => {
    if (typeof value !== 'string') return value;
    if (isSingleTemplateString(value)) {
      const templated = env.renderString(value.replace(/\${{(.+)}}/g, '${{ ( $1 ) | dump }}'), context);
      return templated === '' ? undefined : JSON.parse(templated);
    }
    const templated = env.renderString(value, context);
    return templated === '' ? undefined : templated;
  }) as T;
}

/** A glob of copyWithoutTemplating as a regular expression: `**` segments, `*` and `?` within a segment, dot files included (as globby's `dot: true`). */
function globExpression(glob: string): RegExp {
  const segments = glob.split('/').map((segment) =>
    segment === '**' ? '.*' : segment.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]'),
  );
  return new RegExp(`^${segments.join('/')}$`);
}

/** Input of fetch:template and fetch:template:file that changes what they write. */
export interface FetchTemplateInput extends TemplatingOptions {
  readonly values: Readonly<Record<string, unknown>>;
  /** Files copied as they are (their paths are still rendered). @default [] */
  readonly copyWithoutTemplating?: readonly string[];
}

/**
 * fetch:template: every path rendered (paths that render empty are skipped), every file's content
 * rendered with `values` unless it matches `copyWithoutTemplating`.
 */
export function fetchTemplate(files: Readonly<Record<string, string>>, input: FetchTemplateInput): Record<string, string> {
  const env = scaffolderNunjucks(input);
  const context = { values: input.values };
  const copied = (input.copyWithoutTemplating ?? []).map(globExpression);
  const out: Record<string, string> = {};
  for (const [path, text] of Object.entries(files)) {
    const target = env.renderString(path, context);
    if (target === '' || target.startsWith('/') || target.includes('//')) continue;
    out[target] = copied.some((glob) => glob.test(path)) ? text : env.renderString(text, context);
  }
  return out;
}

/** fetch:template:file: one file's content rendered with `values`. */
export const fetchTemplateFile = (text: string, input: FetchTemplateInput): string => scaffolderNunjucks(input).renderString(text, { values: input.values });

/** A `github.com?owner=<owner>&repo=<repo>` repository location, read as the GitHub actions read it. */
function githubRepository(repoUrl: string): { owner: string; repo: string } {
  const url = new URL(`https://${repoUrl}`);
  const owner = url.searchParams.get('owner');
  const repo = url.searchParams.get('repo');
  if (url.host !== 'github.com' || !owner || !repo) throw new Error(`repoUrl ${JSON.stringify(repoUrl)} is not github.com?owner=<owner>&repo=<repo>`);
  return { owner, repo };
}

/** What a dry run of a template gave. */
export interface TemplateRun {
  /** The rendered input of each step, by step id. */
  readonly inputs: Readonly<Record<string, Record<string, any>>>;
  /** The workspace after the fetch steps: path (relative to the workspace) to content. */
  readonly workspace: Readonly<Record<string, string>>;
  /** The template's rendered `output`. */
  readonly output: Record<string, any>;
}

/** Files under a folder of a file map, by path relative to it. */
const filesIn = (files: Readonly<Record<string, string>>, folder: string): Record<string, string> =>
  Object.fromEntries(Object.entries(files).flatMap(([path, text]) => (path.startsWith(`${folder}/`) ? [[path.slice(folder.length + 1), text]] : [])));

/**
 * Runs a template's steps against its files (`template.yaml` and what it fetches, by path
 * relative to the template's folder) with the given parameters: the fetch actions write the
 * workspace; publish:github, catalog:register and publish:github:pull-request only give the
 * outputs GitHub and the catalog would (their inputs are recorded).
 */
export function dryRunTemplate(files: Readonly<Record<string, string>>, parameters: Readonly<Record<string, unknown>>): TemplateRun {
  const template = parse(files['template.yaml']);
  const steps: Record<string, { output: Record<string, unknown> }> = {};
  const inputs: Record<string, Record<string, any>> = {};
  const workspace: Record<string, string> = {};
  const context = { parameters, steps };
  const at = (targetPath: string | undefined, path: string) => posix.normalize(posix.join(targetPath ?? '.', path));
  let published = '.';
  for (const step of template.spec.steps as { id: string; action: string; input: Record<string, unknown> }[]) {
    const input = renderStepInput(step.input, context) as Record<string, any>;
    inputs[step.id] = input;
    let output: Record<string, unknown> = {};
    switch (step.action) {
      case 'fetch:template':
        for (const [path, text] of Object.entries(fetchTemplate(filesIn(files, posix.normalize(input.url)), input as FetchTemplateInput))) workspace[at(input.targetPath, path)] = text;
        break;
      case 'fetch:template:file':
        workspace[at(input.targetPath, '.')] = fetchTemplateFile(files[posix.normalize(input.url)], input as FetchTemplateInput);
        break;
      case 'publish:github': {
        const { owner, repo } = githubRepository(input.repoUrl);
        const branch = input.defaultBranch ?? 'master';
        published = input.sourcePath ?? '.';
        // remoteUrl is the new repository's clone URL.
        output = { remoteUrl: `https://github.com/${owner}/${repo}.git`, repoContentsUrl: `https://github.com/${owner}/${repo}/blob/${branch}` };
        break;
      }
      case 'catalog:register': {
        // The catalog reads the entity from the published repository.
        const source = workspace[at(published, `.${input.catalogInfoPath}`)];
        const entity = source === undefined ? undefined : parse(source);
        output = { entityRef: entity ? `${String(entity.kind).toLowerCase()}:default/${entity.metadata.name}` : undefined };
        break;
      }
      case 'publish:github:pull-request': {
        const { owner, repo } = githubRepository(input.repoUrl);
        output = { remoteUrl: `https://github.com/${owner}/${repo}/pull/1`, pullRequestNumber: 1 };
        break;
      }
      default:
        throw new Error(`step ${step.id}: action ${step.action} is not one the dry run knows`);
    }
    steps[step.id] = { output };
  }
  return { inputs, workspace, output: renderStepInput(template.spec.output, context) };
}
