/** Reading a whole synthesized app, shared by the rules of the apply pack. */
import type { TerraformJson } from '../rule';
import { isObject } from './terraform-json';

/** One resource or data source of a stack, with its Terraform address. */
export interface StackResource {
  /** `type.name` for a resource, `data.type.name` for a data source. */
  readonly address: string;
  readonly type: string;
  readonly name: string;
  readonly body: TerraformJson;
}

/** Every resource and data source of a stack document, resources first, in document order. */
export function stackResources(document: TerraformJson): StackResource[] {
  const of = (section: unknown, prefix: string): StackResource[] =>
    Object.entries(isObject(section) ? section : {}).flatMap(([type, byName]) =>
      Object.entries(isObject(byName) ? byName : {})
        .filter((entry): entry is [string, TerraformJson] => isObject(entry[1]))
        .map(([name, body]) => ({ address: `${prefix}${type}.${name}`, type, name, body })),
    );
  return [...of(document.resource, ''), ...of(document.data, 'data.')];
}

/** A string somewhere inside a value, with its path (`a.b[0].c`). */
interface StringLeaf {
  readonly path: string;
  readonly value: string;
}

/** Every string inside a value, depth first, with its path. */
export function stringLeaves(value: unknown, path = ''): StringLeaf[] {
  if (typeof value === 'string') return [{ path, value }];
  if (Array.isArray(value)) return value.flatMap((item, index) => stringLeaves(item, `${path}[${index}]`));
  if (isObject(value)) return Object.entries(value).flatMap(([key, item]) => stringLeaves(item, path ? `${path}.${key}` : key));
  return [];
}

/** The addresses a Terraform expression string refers to (`${aws_s3_bucket.state.id}` -> `aws_s3_bucket.state`). */
function referencedAddresses(text: string): string[] {
  const start = text.indexOf('${');
  if (start < 0) return [];
  return [...text.slice(start).matchAll(/\b(data\.[a-zA-Z0-9_-]+\.[a-zA-Z0-9_-]+|[a-z][a-z0-9]*_[a-zA-Z0-9_]+\.[a-zA-Z0-9_-]+)/g)].map((match) => match[1]);
}

/**
 * What each resource of a stack is created after: the addresses it refers to and depends on,
 * directly or through others (Terraform's ordering, which a literal string does not take part in).
 * The stack is read on the first question.
 */
export function dependencyClosure(document: TerraformJson): (address: string) => ReadonlySet<string> {
  let direct: Map<string, Set<string>> | undefined;
  const edgesOf = (address: string): ReadonlySet<string> => {
    direct ??= directDependencies(document);
    return direct.get(address) ?? new Set();
  };
  const closed = new Map<string, Set<string>>();
  const close = (address: string, visiting: Set<string>): Set<string> => {
    const known = closed.get(address);
    if (known) return known;
    const all = new Set<string>();
    visiting.add(address);
    for (const next of edgesOf(address)) {
      all.add(next);
      if (!visiting.has(next)) for (const further of close(next, visiting)) all.add(further);
    }
    visiting.delete(address);
    closed.set(address, all);
    return all;
  };
  return (address) => close(address, new Set());
}

/** What each resource of a stack refers to or depends on directly. */
function directDependencies(document: TerraformJson): Map<string, Set<string>> {
  const direct = new Map<string, Set<string>>();
  for (const resource of stackResources(document)) {
    const edges = new Set<string>();
    for (const leaf of stringLeaves(resource.body)) {
      if (leaf.path.startsWith('depends_on[')) edges.add(leaf.value);
      else for (const address of referencedAddresses(leaf.value)) edges.add(address);
    }
    edges.delete(resource.address);
    direct.set(resource.address, edges);
  }
  return direct;
}

/** The provider block a resource uses: its `provider` attribute (`aws.us_east_1`) or the default one of its type's provider. */
export function providerOf(document: TerraformJson, resource: StackResource): TerraformJson | undefined {
  const [providerName, alias] = typeof resource.body.provider === 'string' ? resource.body.provider.split('.') : [resource.type.split('_')[0], undefined];
  const providers = isObject(document.provider) ? document.provider[providerName] : undefined;
  const configs = (Array.isArray(providers) ? providers : [providers]).filter(isObject);
  return configs.find((config) => (alias ? config.alias === alias : config.alias === undefined));
}

/** Whether a value is a literal string, not a Terraform expression: only literals can name what they do not refer to. */
export const isLiteral = (value: unknown): value is string => typeof value === 'string' && value !== '' && !value.includes('${');

/** The Helm releases of a stack. */
export const helmReleases = (document: TerraformJson): StackResource[] => stackResources(document).filter((resource) => resource.type === 'helm_release' && !resource.address.startsWith('data.'));

/** Whether Terraform's helm provider waits for a release's pods to be Ready: `wait` defaults to true, and `atomic` implies it. */
export const waitsForPods = (release: TerraformJson): boolean => release.atomic === true || release.wait !== false;

/** A GCP resource's project: its own `project`, or its provider's, when literal. */
export const projectOf = (body: TerraformJson, provider: TerraformJson): string | undefined =>
  isLiteral(body.project) ? body.project : isLiteral(provider.project) ? provider.project : undefined;
