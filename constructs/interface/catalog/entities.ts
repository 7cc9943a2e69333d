/**
 * Backstage catalog entities as plain data: the shapes of the kinds idpkit writes (Domain, System,
 * Resource, Component, Group, Location, all `backstage.io/v1alpha1`), builders that fill in
 * `apiVersion` and `kind`, Backstage's name rules and entity references.
 *
 * @see https://backstage.io/docs/features/software-catalog/descriptor-format
 */
import { createHash } from 'node:crypto';

/** The API version of every entity kind idpkit writes. */
export const BACKSTAGE_API_VERSION = 'backstage.io/v1alpha1';

/** The namespace of every entity idpkit writes; left out of `metadata`, as Backstage defaults it. */
export const DEFAULT_ENTITY_NAMESPACE = 'default';

/** The entity kinds idpkit writes. */
export type EntityKind = 'Domain' | 'System' | 'Resource' | 'Component' | 'Group' | 'Location';

/** A link shown on an entity's page (`metadata.links`). */
export interface EntityLink {
  /** An absolute URL. */
  readonly url: string;
  /** What the link shows. @default - the URL */
  readonly title?: string;
  /** A Backstage system icon key, e.g. `dashboard`, `cloud`. @default - none */
  readonly icon?: string;
  /** What kind of link it is, e.g. `console`. @default - none */
  readonly type?: string;
}

/** An entity's `metadata`: its name and what Backstage shows and filters by. */
export interface EntityMetadata {
  /** The entity name (see {@link ENTITY_NAME_RULE}). */
  readonly name: string;
  /** The name shown instead of `name`. @default - the name */
  readonly title?: string;
  /** One or two sentences. @default - none */
  readonly description?: string;
  /** Short values to filter by (each a valid label value, see {@link isEntityLabelValue}). @default - none */
  readonly labels?: Readonly<Record<string, string>>;
  /** What plugins read (`backstage.io/kubernetes-namespace`, `argocd/app-name`, ...). @default - none */
  readonly annotations?: Readonly<Record<string, string>>;
  /** Lowercase words, `[a-z0-9+#]` separated by `-`. @default - none */
  readonly tags?: readonly string[];
  /** Links shown on the entity's page. @default - none */
  readonly links?: readonly EntityLink[];
}

/** A Domain: an area of the business that systems belong to. */
export interface DomainEntity {
  readonly apiVersion: typeof BACKSTAGE_API_VERSION;
  readonly kind: 'Domain';
  readonly metadata: EntityMetadata;
  readonly spec: { readonly owner: string; readonly subdomainOf?: string };
}

/** A System: a set of resources and components that serve one purpose (an environment). */
export interface SystemEntity {
  readonly apiVersion: typeof BACKSTAGE_API_VERSION;
  readonly kind: 'System';
  readonly metadata: EntityMetadata;
  readonly spec: { readonly owner: string; readonly domain?: string; readonly type?: string };
}

/** A Resource: infrastructure a system needs (a cluster, a database, a bucket). */
export interface ResourceEntity {
  readonly apiVersion: typeof BACKSTAGE_API_VERSION;
  readonly kind: 'Resource';
  readonly metadata: EntityMetadata;
  readonly spec: { readonly type: string; readonly owner: string; readonly system?: string; readonly dependsOn?: readonly string[]; readonly dependencyOf?: readonly string[] };
}

/** A Component: a piece of software (an add-on installed in a cluster). */
export interface ComponentEntity {
  readonly apiVersion: typeof BACKSTAGE_API_VERSION;
  readonly kind: 'Component';
  readonly metadata: EntityMetadata;
  readonly spec: {
    readonly type: string;
    readonly lifecycle: string;
    readonly owner: string;
    readonly system?: string;
    readonly subcomponentOf?: string;
    readonly dependsOn?: readonly string[];
    readonly dependencyOf?: readonly string[];
  };
}

/** A Group: a team that owns entities. */
export interface GroupEntity {
  readonly apiVersion: typeof BACKSTAGE_API_VERSION;
  readonly kind: 'Group';
  readonly metadata: EntityMetadata;
  readonly spec: { readonly type: string; readonly parent?: string; readonly children: readonly string[]; readonly members?: readonly string[] };
}

/** A Location: where Backstage finds more entity files. */
export interface LocationEntity {
  readonly apiVersion: typeof BACKSTAGE_API_VERSION;
  readonly kind: 'Location';
  readonly metadata: EntityMetadata;
  readonly spec: { readonly type?: string; readonly targets: readonly string[] };
}

/** An entity of a kind idpkit writes. */
export type CatalogEntity = DomainEntity | SystemEntity | ResourceEntity | ComponentEntity | GroupEntity | LocationEntity;

/** Drops undefined and empty-list/empty-object fields, so the YAML holds only what is set. */
function compact<T extends object>(value: T): T {
  return Object.fromEntries(
    Object.entries(value).filter(([, field]) => {
      if (field === undefined) return false;
      if (Array.isArray(field)) return field.length > 0;
      if (typeof field === 'object' && field !== null) return Object.keys(field).length > 0;
      return true;
    }),
  ) as T;
}

const metadataOf = (metadata: EntityMetadata): EntityMetadata => compact({ ...metadata });

/** A Domain entity. */
export function domainEntity(metadata: EntityMetadata, spec: DomainEntity['spec']): DomainEntity {
  return { apiVersion: BACKSTAGE_API_VERSION, kind: 'Domain', metadata: metadataOf(metadata), spec: compact({ ...spec }) };
}

/** A System entity. */
export function systemEntity(metadata: EntityMetadata, spec: SystemEntity['spec']): SystemEntity {
  return { apiVersion: BACKSTAGE_API_VERSION, kind: 'System', metadata: metadataOf(metadata), spec: compact({ ...spec }) };
}

/** A Resource entity; `dependsOn` is sorted. */
export function resourceEntity(metadata: EntityMetadata, spec: ResourceEntity['spec']): ResourceEntity {
  return { apiVersion: BACKSTAGE_API_VERSION, kind: 'Resource', metadata: metadataOf(metadata), spec: compact({ ...spec, dependsOn: sortedUnique(spec.dependsOn) }) };
}

/** A Component entity; `dependsOn` is sorted. */
export function componentEntity(metadata: EntityMetadata, spec: ComponentEntity['spec']): ComponentEntity {
  return { apiVersion: BACKSTAGE_API_VERSION, kind: 'Component', metadata: metadataOf(metadata), spec: compact({ ...spec, dependsOn: sortedUnique(spec.dependsOn) }) };
}

/** A Group entity (`children` is required by Backstage, empty when the group has none). */
export function groupEntity(metadata: EntityMetadata, spec: GroupEntity['spec']): GroupEntity {
  return { apiVersion: BACKSTAGE_API_VERSION, kind: 'Group', metadata: metadataOf(metadata), spec: { ...compact({ ...spec }), children: [...spec.children] } };
}

/** A Location entity whose targets are paths relative to its own file (or URLs). */
export function locationEntity(metadata: EntityMetadata, targets: readonly string[]): LocationEntity {
  return { apiVersion: BACKSTAGE_API_VERSION, kind: 'Location', metadata: metadataOf(metadata), spec: { type: 'url', targets: [...targets] } };
}

const sortedUnique = (values: readonly string[] | undefined): string[] | undefined => (values ? [...new Set(values)].sort() : undefined);

/** Longest entity name Backstage accepts. */
export const MAX_ENTITY_NAME_LENGTH = 63;

/** Backstage's entity name (and label value) syntax: `[a-zA-Z0-9]` runs separated by single `-`, `_` or `.`. */
export const ENTITY_NAME_PATTERN = /^[a-zA-Z0-9]+([-_.][a-zA-Z0-9]+)*$/;

/** Backstage's name rule, for messages. */
export const ENTITY_NAME_RULE = `letters and digits separated by single "-", "_" or ".", at most ${MAX_ENTITY_NAME_LENGTH} characters`;

/** Whether Backstage accepts this as an entity name. */
export const isEntityName = (name: string): boolean => name.length <= MAX_ENTITY_NAME_LENGTH && ENTITY_NAME_PATTERN.test(name);

/** Whether Backstage accepts this as a label value (the same syntax as a name). */
export const isEntityLabelValue = isEntityName;

/** Hex digits of SHA-256 that {@link toEntityName} appends when it must shorten or replace a name. */
const NAME_HASH_LENGTH = 8;

/**
 * An entity name for any idpkit name (an environment owner, a construct path, a cloud resource
 * name): itself when Backstage accepts it; else every run of other characters replaced by one
 * `-` (`Platform Team` -> `Platform-Team`, `dev/apps/web` -> `dev-apps-web`), and when that is
 * longer than 63 characters, cut with 8 hex of SHA-256 over the original at the end, so two long
 * names stay apart. A name with no letter or digit becomes `entity-<hash>`. Deterministic.
 *
 * @example
 * toEntityName('alias/idpkit/dev/ecr'); // 'alias-idpkit-dev-ecr'
 */
export function toEntityName(text: string): string {
  if (isEntityName(text)) return text;
  const cleaned = text.replace(/[^a-zA-Z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  const hash = createHash('sha256').update(text).digest('hex').slice(0, NAME_HASH_LENGTH);
  if (cleaned === '') return `entity-${hash}`;
  if (cleaned.length <= MAX_ENTITY_NAME_LENGTH) return cleaned;
  return `${cleaned.slice(0, MAX_ENTITY_NAME_LENGTH - NAME_HASH_LENGTH - 1).replace(/-+$/, '')}-${hash}`;
}

/** The full reference of an entity: `kind:namespace/name`, the kind lowercase. */
export function entityRef(kind: EntityKind, name: string, namespace: string = DEFAULT_ENTITY_NAMESPACE): string {
  return `${kind.toLowerCase()}:${namespace}/${name}`;
}

/** A parsed entity reference. */
export interface ParsedEntityRef {
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
}

/**
 * Parses `[kind:][namespace/]name` as Backstage does, the kind defaulting to `defaultKind` (a
 * relation field's own, e.g. `group` for `owner`) and the namespace to `default`; undefined when
 * there is no kind or the reference is malformed.
 */
export function parseEntityRef(ref: string, defaultKind?: string): ParsedEntityRef | undefined {
  const match = /^(?:([^:/]+):)?(?:([^:/]+)\/)?([^:/]+)$/.exec(ref);
  const kind = match?.[1] ?? defaultKind;
  if (!match || !kind) return undefined;
  return { kind: kind.toLowerCase(), namespace: match[2] ?? DEFAULT_ENTITY_NAMESPACE, name: match[3] };
}
