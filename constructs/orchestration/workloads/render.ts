import { createHash } from 'node:crypto';
import { dirname, isAbsolute, join, posix } from 'node:path';
import { describeValue, IdpkitError } from '../../core/errors';
import type { KubernetesObject } from '../../core/manifests';
import { fitName } from '../../core/names';
import { LINK_LOCAL_DNS_RESOLVERS, parseQuantity, PLATFORM_MONITORING_LABEL } from '../tenancy/tenancy';
import { WORKLOAD_CONTAINER_DEFAULTS, WORKLOAD_FS_GROUP, WORKLOAD_TIER_DEFAULTS, WORKLOAD_TMP_PATH, ZONE_TOPOLOGY_KEY } from './defaults';
import { workloadLabels, workloadSelector } from './labels';
import { layoutFiles } from './layout';
import { kubernetesLiteral, referencedResources, resolvePlaceholders, substituteText, substituteValue, variableEnv, type EnvVar, type PlaceholderScope, type ScopeResource } from './placeholders';
import { PROVISIONERS } from './provisioners';
import { formatPath, readScoreFile } from './score';
import type {
  CloudResourceRequest,
  NetworkFlow,
  Provisioned,
  RenderedWorkload,
  RenderedWorkloads,
  RenderOptions,
  ResourceProvisioner,
  ScoreContainer,
  ScoreFile,
  ScoreProbe,
  ScoreResource,
  ScoreWorkloadSpec,
  WorkloadPlatform,
} from './types';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
/** Kubernetes Service names are RFC 1035 labels: they start with a letter. */
const DNS_1035_LABEL = /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/;
/** Kubernetes port names (IANA service names): at most 15 characters, at least one letter, no "--". */
const PORT_NAME = /^(?=.*[a-z])(?!.*--)[a-z0-9]([-a-z0-9]{0,13}[a-z0-9])?$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
/** Largest ConfigMap Kubernetes stores (etcd's object limit). */
const CONFIG_MAP_MAX_BYTES = 1024 * 1024;
/** Names of the pod volumes the engine adds; a resource of that name would clash. */
const TMP_VOLUME = 'idpkit-tmp';
const FILES_VOLUME = 'idpkit-files';
/** Pod label the Azure Workload Identity webhook acts on. */
const AZURE_WORKLOAD_IDENTITY_LABEL = 'azure.workload.identity/use';
/** Pod annotation that changes with the files' content, so a change rolls the pods (subPath mounts never update). */
const FILES_CHECKSUM_ANNOTATION = 'idpkit.dev/files-checksum';

/** Everything one render shares: the platform, options, problems found so far, shared resources. */
interface RenderContext {
  readonly platform: WorkloadPlatform;
  readonly options: RenderOptions;
  readonly preview: boolean;
  readonly workloads: Readonly<Record<string, ScoreWorkloadSpec>>;
  readonly problems: string[];
  /** Shared resources by `type/class/id`: provisioned by the first workload naming them. */
  readonly shared: Map<string, SharedResource>;
}

/** A shared resource (`id`), provisioned once. */
interface SharedResource {
  readonly provisioned?: Provisioned;
  readonly params: Readonly<Record<string, unknown>>;
  /** Where it was first declared, for messages. */
  readonly at: string;
}

/** A resource of a workload once provisioned (or not: then `provisioned` is absent). */
interface WorkloadResource {
  readonly name: string;
  readonly resource: ScoreResource;
  readonly provisioned?: Provisioned;
  /** Whether it is a shared resource (its objects are in `shared`). */
  readonly shared: boolean;
  /** Whether this workload provisioned it (always, but for a shared resource another workload provisioned first). */
  readonly owner: boolean;
}

/**
 * Renders Score workloads into Kubernetes objects for one environment and namespace: per
 * workload a Deployment, a Service (with `service.ports`), a ServiceAccount, a NetworkPolicy, in
 * prod a PodDisruptionBudget, a ConfigMap of its files, and what its resources need (each
 * provisioned by its type's provisioner, `PROVISIONERS`); shared resources (`id`) once. Pure:
 * reads only the `source` files through `options.readFile`, writes nothing. The result's `files`
 * is the output layout (docs/workloads.md).
 *
 * @throws IdpkitError `IDPKIT_INVALID_WORKLOAD` with every problem of every file (schema
 *   violations, unknown or unavailable resource types, unresolvable placeholders, name clashes)
 * @example
 * declare const platform: WorkloadPlatform;  // workloadPlatformOf(env), idpkit/platform
 * const text = readFileSync('score.yaml', 'utf8');
 * const rendered = renderWorkloads([{ path: 'score.yaml', text }], platform, { namespace: 'payments', images: { web: 'registry/web:1.4.2' } });
 * for (const [path, yaml] of Object.entries(rendered.files)) writeFileSync(join('environments/prod/workloads', path), yaml);
 */
export function renderWorkloads(files: readonly ScoreFile[], platform: WorkloadPlatform, options: RenderOptions): RenderedWorkloads {
  const problems: string[] = [];
  if (!DNS_LABEL.test(options.namespace)) problems.push(`namespace ${describeValue(options.namespace)} is not a namespace name (a DNS label, e.g. "payments")`);
  const parsed: { file: ScoreFile; workload: ScoreWorkloadSpec }[] = [];
  const firstFile = new Map<string, string>();
  for (const file of files) {
    const result = readScoreFile(file);
    problems.push(...result.problems);
    if (!result.workload) continue;
    const name = result.workload.metadata.name;
    const other = firstFile.get(name);
    if (other !== undefined) {
      problems.push(`${file.path}: metadata.name "${name}" is also the name of the workload of ${other} (workload names are unique in namespace "${options.namespace}": rename one)`);
      continue;
    }
    firstFile.set(name, file.path);
    parsed.push({ file, workload: result.workload });
  }
  // Workloads in name order: the output does not depend on the order files are given in.
  parsed.sort((a, b) => (a.workload.metadata.name < b.workload.metadata.name ? -1 : 1));
  const context: RenderContext = {
    platform,
    options,
    preview: options.preview ?? false,
    workloads: Object.fromEntries(parsed.map(({ workload }) => [workload.metadata.name, workload])),
    problems,
    shared: new Map(),
  };
  const shared: KubernetesObject[] = [];
  const cloud: CloudResourceRequest[] = [];
  const workloads = parsed.map(({ file, workload }) => {
    const rendered = renderWorkload(file, workload, context);
    shared.push(...rendered.sharedObjects);
    cloud.push(...rendered.cloud);
    return rendered.workload;
  });
  problems.push(...clashes(workloads, shared));
  if (problems.length > 0) throw new IdpkitError('IDPKIT_INVALID_WORKLOAD', problems);
  const result = { workloads, shared, cloud };
  return { ...result, files: layoutFiles(result, platform, options) };
}

/** Objects of the same kind and name in the namespace (a resource named like another workload's object). */
function clashes(workloads: readonly RenderedWorkload[], shared: readonly KubernetesObject[]): string[] {
  const owners = new Map<string, string>();
  const problems: string[] = [];
  const sources: [string, readonly KubernetesObject[]][] = [...workloads.map((workload) => [`${workload.source} (workload "${workload.name}")`, workload.objects] as [string, readonly KubernetesObject[]]), ['shared resources', shared]];
  for (const [source, objects] of sources) {
    for (const object of objects) {
      // By kind and name (not API group): that is also the object's file name in the layout.
      const key = `${object.kind.toLowerCase()}/${object.metadata.name}`;
      const owner = owners.get(key);
      if (owner === undefined) owners.set(key, source);
      else problems.push(`${source}: ${object.kind} "${object.metadata.name}" is also an object of ${owner}: rename the workload or the resource`);
    }
  }
  return problems;
}

/** The DNS label a resource's objects are named with: `<workload>-<resource>`, or the shared `id`, shortened with a hash when needed. */
function instanceNameOf(workload: string, resourceName: string, id: string | undefined): string {
  if (id === undefined) return fitName(`${workload}-${resourceName}`, 63);
  if (DNS_LABEL.test(id)) return id;
  // Ids may have dots: dots become "-" and a hash keeps "a.b" and "a-b" apart.
  return fitName(`${id.replace(/\./g, '-').slice(0, 56)}`, 63, `-${createHash('sha256').update(id).digest('hex').slice(0, 6)}`);
}

/** One workload: its resources, then its containers and objects. */
function renderWorkload(file: ScoreFile, workload: ScoreWorkloadSpec, context: RenderContext): { workload: RenderedWorkload; sharedObjects: KubernetesObject[]; cloud: CloudResourceRequest[] } {
  const name = workload.metadata.name;
  const source = file.path;
  const scope: { metadata: Record<string, unknown>; resources: Record<string, ScopeResource> } = { metadata: workload.metadata, resources: {} };
  const resources = provisionResources(file, workload, context, scope);
  const objects: KubernetesObject[] = [];
  const sharedObjects: KubernetesObject[] = [];
  const cloud: CloudResourceRequest[] = [];
  // A shared resource's objects and cloud resources come once, from the workload that provisioned it.
  for (const resource of resources) {
    if (!resource.provisioned || !resource.owner) continue;
    const annotations = resource.resource.metadata?.annotations;
    const labels = resource.shared ? workloadLabels(instanceNameOf(name, resource.name, resource.resource.id), true) : workloadLabels(name);
    (resource.shared ? sharedObjects : objects).push(...resource.provisioned.objects.map((object) => stamped(object, labels, annotations, context)));
    cloud.push(...(resource.provisioned.cloud ?? []));
  }
  const cloudIdentity = cloud.some((request) => 'serviceAccount' in request && request.serviceAccount === name);
  const own = workloadObjects(file, workload, resources, scope, context, cloudIdentity);
  return {
    workload: { name, namespace: context.options.namespace, source, serviceAccount: name, cloudIdentity, objects: [...own.map((object) => stamped(object, workloadLabels(name), undefined, context)), ...objects] },
    sharedObjects,
    cloud,
  };
}

/** An object with the standard labels, the resource's annotations, and the namespace (none in previews). */
function stamped(object: KubernetesObject, labels: Record<string, string>, annotations: Readonly<Record<string, string>> | undefined, context: RenderContext): KubernetesObject {
  const metadata: Record<string, unknown> = { ...object.metadata };
  delete metadata.namespace;
  const allAnnotations = { ...annotations, ...(metadata.annotations as Record<string, string> | undefined) };
  delete metadata.annotations;
  return {
    ...object,
    metadata: {
      ...metadata,
      name: object.metadata.name,
      ...(context.preview ? {} : { namespace: context.options.namespace }),
      labels: { ...(metadata.labels as Record<string, string> | undefined), ...labels },
      ...(Object.keys(allAnnotations).length > 0 ? { annotations: allAnnotations } : {}),
    },
  };
}

/**
 * The order to provision resources in: a resource whose params name another's outputs comes after
 * it (alphabetical otherwise). Resources in a cycle are reported and left out.
 */
function provisionOrder(source: string, declared: Readonly<Record<string, ScoreResource>>, problems: string[]): string[] {
  const names = Object.keys(declared).sort();
  const dependencies = new Map(names.map((name) => [name, [...new Set(referencedResources(declared[name].params ?? {}))].filter((other) => other in declared)]));
  const order: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const cyclic = new Set<string>();
  const visit = (name: string, path: string[]): void => {
    if (state.get(name) === 'done') return;
    if (state.get(name) === 'visiting') {
      const cycle = [...path.slice(path.indexOf(name)), name];
      if (!cycle.some((member) => cyclic.has(member))) {
        problems.push(`${source}: resources ${cycle.join(' -> ')}: their params name each other's outputs (a cycle): remove one of these placeholders`);
      }
      cycle.forEach((member) => cyclic.add(member));
      return;
    }
    state.set(name, 'visiting');
    for (const dependency of dependencies.get(name)!) visit(dependency, [...path, name]);
    state.set(name, 'done');
    order.push(name);
  };
  for (const name of names) visit(name, []);
  return order.filter((name) => !cyclic.has(name));
}

/** Types available in this environment (some class of them can be provisioned). */
function availableTypes(context: RenderContext): string[] {
  return PROVISIONERS.filter((provisioner) => availableClasses(provisioner, context).length > 0 || provisioner.unavailable(context.platform, undefined, context.preview) === undefined).map(
    (provisioner) => provisioner.type,
  );
}

function availableClasses(provisioner: ResourceProvisioner, context: RenderContext): string[] {
  return provisioner.classes.filter((resourceClass) => provisioner.unavailable(context.platform, resourceClass, context.preview) === undefined);
}

const listOf = (names: readonly string[]): string => (names.length > 0 ? names.join(', ') : 'none');

/** Why a resource cannot be provisioned here (naming what is available instead), or its provisioner. */
function provisionerOf(at: string, resource: ScoreResource, context: RenderContext): ResourceProvisioner | string {
  const provisioner = PROVISIONERS.find((candidate) => candidate.type === resource.type);
  const environment = context.preview ? `previews of environment "${context.platform.environment}"` : `environment "${context.platform.environment}"`;
  if (!provisioner) return `${at}.type "${resource.type}" is not a resource type idpkit provisions in ${environment} (types available: ${listOf(availableTypes(context))})`;
  if (resource.class !== undefined && provisioner.classes.length === 0) return `${at}.class "${resource.class}" is not allowed: type "${resource.type}" has no classes (remove class)`;
  if (resource.class !== undefined && !provisioner.classes.includes(resource.class)) {
    return `${at}.class "${resource.class}" is not a class of type "${resource.type}" (classes available in ${environment}: ${listOf(availableClasses(provisioner, context))})`;
  }
  const reason = provisioner.unavailable(context.platform, resource.class, context.preview);
  if (reason === undefined) return provisioner;
  const field = resource.class === undefined ? `.type "${resource.type}"` : `.class "${resource.class}"`;
  const alternatives = resource.class === undefined || provisioner.classes.length === 0 ? `types available: ${listOf(availableTypes(context))}` : `classes of "${resource.type}" available: ${listOf(availableClasses(provisioner, context))}`;
  return `${at}${field} cannot be provisioned in ${environment}: ${reason} (${alternatives})`;
}

/** Deterministic JSON (sorted keys), to compare params. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Provisions the workload's resources in dependency order, filling `scope` with their outputs. */
function provisionResources(file: ScoreFile, workload: ScoreWorkloadSpec, context: RenderContext, scope: { resources: Record<string, ScopeResource> } & PlaceholderScope): WorkloadResource[] {
  const declared = workload.resources ?? {};
  const name = workload.metadata.name;
  for (const [resourceName, resource] of Object.entries(declared)) scope.resources[resourceName] = { type: resource.type };
  const provisioned: WorkloadResource[] = [];
  for (const resourceName of provisionOrder(file.path, declared, context.problems)) {
    const declaredResource = declared[resourceName];
    const at = `${file.path}: resources.${resourceName}`;
    const provisioner = provisionerOf(at, declaredResource, context);
    if (typeof provisioner === 'string') {
      context.problems.push(provisioner);
      continue;
    }
    const { value: params, incomplete } = substituteValue(declaredResource.params ?? {}, scope, `${at}.params`, 'resource params', context.problems);
    if (incomplete) continue;
    const resource: ScoreResource = { ...declaredResource, params: params as Record<string, unknown> };
    const shared = declaredResource.id !== undefined;
    const { provisioned: result, owner } = shared ? provisionShared(provisioner, resource, resourceName, at, name, context) : { provisioned: provision(provisioner, resource, resourceName, at, name, context), owner: true };
    if (result) scope.resources[resourceName] = { type: resource.type, outputs: result.outputs };
    provisioned.push({ name: resourceName, resource, provisioned: result, shared, owner });
  }
  return provisioned;
}

/** Runs a provisioner; its IdpkitError problems join the render's. */
function provision(provisioner: ResourceProvisioner, resource: ScoreResource, resourceName: string, at: string, workload: string, context: RenderContext): Provisioned | undefined {
  try {
    return provisioner.provision({
      platform: context.platform,
      namespace: context.options.namespace,
      workload,
      resourceName,
      resource,
      instanceName: instanceNameOf(workload, resourceName, resource.id),
      serviceAccount: workload,
      servicePorts: context.workloads[workload]?.service?.ports ?? {},
      preview: context.preview,
      at,
      variables: context.options.variables ?? {},
      workloads: context.workloads,
    });
  } catch (error) {
    if (!(error instanceof IdpkitError)) throw error;
    context.problems.push(...error.problems);
    return undefined;
  }
}

/** A shared resource: provisioned by the first workload naming it; the others must give the same params or none. */
function provisionShared(
  provisioner: ResourceProvisioner,
  resource: ScoreResource,
  resourceName: string,
  at: string,
  workload: string,
  context: RenderContext,
): { provisioned?: Provisioned; owner: boolean } {
  const key = `${resource.type}/${resource.class ?? ''}/${resource.id}`;
  const params = resource.params ?? {};
  const first = context.shared.get(key);
  if (!first) {
    const provisioned = provision(provisioner, resource, resourceName, at, workload, context);
    context.shared.set(key, { provisioned, params, at });
    return { provisioned, owner: true };
  }
  if (Object.keys(params).length > 0 && Object.keys(first.params).length > 0 && canonical(params) !== canonical(first.params)) {
    context.problems.push(`${at}.params differ from those of the same shared resource (type ${resource.type}, id "${resource.id}") at ${first.at}: give the same params, or params in one place only`);
  }
  return { provisioned: first.provisioned, owner: false };
}

/** A ConfigMap entry for one file of one container. */
interface FileEntry {
  readonly key: string;
  readonly target: string;
  readonly mode?: number;
  readonly text?: string;
  readonly binary?: string;
}

/** A container's mounts and the ConfigMap entries and pod volumes they need. */
interface ContainerMounts {
  readonly mounts: Record<string, unknown>[];
  readonly files: FileEntry[];
  /** Pod volumes of resources, by volume name. */
  readonly volumes: Map<string, Readonly<Record<string, unknown>>>;
}

/** The ConfigMap key of a file: container, file name and a hash of the target (keys allow `-._a-zA-Z0-9`). */
function fileKey(container: string, target: string): string {
  const base = posix.basename(target).replace(/[^-._a-zA-Z0-9]/g, '_').slice(0, 100);
  return `${container}-${base}-${createHash('sha256').update(`${container}\u0000${target}`).digest('hex').slice(0, 8)}`;
}

/** A mount path as Kubernetes compares it (no trailing "/", no "." steps). */
const normalPath = (path: string): string => posix.normalize(path).replace(/(.)\/$/, '$1');

/** The workload's own objects: ServiceAccount, ConfigMap, Deployment, Service, NetworkPolicy, PodDisruptionBudget. */
function workloadObjects(file: ScoreFile, workload: ScoreWorkloadSpec, resources: readonly WorkloadResource[], scope: PlaceholderScope, context: RenderContext, cloudIdentity: boolean): KubernetesObject[] {
  const name = workload.metadata.name;
  const source = file.path;
  const problems = context.problems;
  const ports = Object.entries(workload.service?.ports ?? {});
  if (ports.length > 0 && !DNS_1035_LABEL.test(name)) problems.push(`${source}: metadata.name "${name}" starts with a digit: a workload with service.ports is a Kubernetes Service, whose name must start with a letter`);
  const seenPorts = new Map<string, string>();
  for (const [portName, port] of ports) {
    if (!PORT_NAME.test(portName)) problems.push(`${source}: service.ports: the name "${portName}" is not a Kubernetes port name (at most 15 lowercase letters, digits and "-", with a letter, no "--"; e.g. "http")`);
    const key = `${port.port}/${port.protocol ?? 'TCP'}`;
    const other = seenPorts.get(key);
    if (other !== undefined) problems.push(`${source}: service.ports.${portName}.port ${port.port} (${port.protocol ?? 'TCP'}) is also the port of service.ports.${other}: give each port its own number`);
    else seenPorts.set(key, portName);
  }
  const byName = new Map(resources.map((resource) => [resource.name, resource]));
  const allFiles: FileEntry[] = [];
  const volumes = new Map<string, Readonly<Record<string, unknown>>>();
  let usesTmp = false;
  const containers = Object.entries(workload.containers).map(([containerName, container]) => {
    const at = `${source}: ${formatPath(['containers', containerName])}`;
    const mounts = containerMounts(file, containerName, container, scope, byName, context);
    allFiles.push(...mounts.files);
    for (const [volumeName, volume] of mounts.volumes) volumes.set(volumeName, volume);
    const ownsTmp = mounts.mounts.some((mount) => normalPath(String(mount.mountPath)) === WORKLOAD_TMP_PATH);
    usesTmp ||= !ownsTmp;
    const env = containerEnv(at, container, scope, problems);
    return {
      name: containerName,
      image: imageOf(at, containerName, container, context),
      ...listField(at, 'command', container.command, scope, problems),
      ...listField(at, 'args', container.args, scope, problems),
      ...(env.length > 0 ? { env } : {}),
      resources: containerResources(at, container, problems),
      ...probe('livenessProbe', container.livenessProbe),
      ...probe('readinessProbe', container.readinessProbe),
      securityContext: { runAsNonRoot: true, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' } },
      volumeMounts: [...(ownsTmp ? [] : [{ name: TMP_VOLUME, mountPath: WORKLOAD_TMP_PATH }]), ...mounts.mounts],
    };
  });
  for (const reserved of [TMP_VOLUME, FILES_VOLUME]) if (volumes.has(reserved)) problems.push(`${source}: resources.${reserved}: the name is taken by a volume idpkit adds to every pod: rename the resource`);
  const singleReplica = resources.some((resource) => resource.provisioned?.singleReplica);
  const tier = WORKLOAD_TIER_DEFAULTS[context.preview ? 'dev' : context.platform.tier];
  const replicas = singleReplica ? 1 : tier.replicas;
  const selector = workloadSelector(name);
  const configMap = filesConfigMap(source, name, allFiles, problems);
  const annotations = workload.metadata.annotations;
  const podAnnotations = { ...annotations, ...(configMap ? { [FILES_CHECKSUM_ANNOTATION]: createHash('sha256').update(JSON.stringify([configMap.data, configMap.binaryData])).digest('hex') } : {}) };
  const podVolumes = [
    ...(usesTmp ? [{ name: TMP_VOLUME, emptyDir: {} }] : []),
    ...(configMap
      ? [{ name: FILES_VOLUME, configMap: { name: configMap.metadata.name, items: allFiles.map((entry) => ({ key: entry.key, path: entry.key, ...(entry.mode === undefined ? {} : { mode: entry.mode }) })) } }]
      : []),
    ...[...volumes.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([volumeName, volume]) => ({ name: volumeName, ...volume })),
  ];
  const identityLabels = cloudIdentity && context.platform.cloud === 'azure' ? { [AZURE_WORKLOAD_IDENTITY_LABEL]: 'true' } : {};
  const deployment: KubernetesObject = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, ...(annotations ? { annotations } : {}) },
    spec: {
      replicas,
      selector: { matchLabels: selector },
      ...(singleReplica ? { strategy: { type: 'Recreate' } } : {}),
      template: {
        metadata: { labels: { ...workloadLabels(name), ...identityLabels }, ...(Object.keys(podAnnotations).length > 0 ? { annotations: podAnnotations } : {}) },
        spec: {
          serviceAccountName: name,
          automountServiceAccountToken: cloudIdentity,
          enableServiceLinks: false,
          securityContext: { runAsNonRoot: true, fsGroup: WORKLOAD_FS_GROUP, fsGroupChangePolicy: 'OnRootMismatch', seccompProfile: { type: 'RuntimeDefault' } },
          containers,
          ...(podVolumes.length > 0 ? { volumes: podVolumes } : {}),
          ...(tier.zoneSpread && replicas > 1
            ? { topologySpreadConstraints: [{ maxSkew: 1, topologyKey: ZONE_TOPOLOGY_KEY, whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: selector } }] }
            : {}),
        },
      },
    },
  };
  return [
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name }, automountServiceAccountToken: cloudIdentity },
    ...(configMap ? [configMap] : []),
    deployment,
    ...(ports.length > 0
      ? [
          {
            apiVersion: 'v1',
            kind: 'Service',
            metadata: { name },
            spec: {
              selector,
              ports: ports.map(([portName, port]) => ({ name: portName, port: port.port, targetPort: port.targetPort ?? port.port, protocol: port.protocol ?? 'TCP' })),
            },
          },
        ]
      : []),
    networkPolicy(name, workload, resources, context),
    ...(tier.disruptionBudget ? [{ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name }, spec: { maxUnavailable: 1, selector: { matchLabels: selector } } }] : []),
  ];
}

/** The image of a container; "." is the image given at render for it. */
function imageOf(at: string, containerName: string, container: ScoreContainer, context: RenderContext): string {
  if (container.image !== '.') return container.image;
  const image = context.options.images?.[containerName] ?? context.options.images?.['*'];
  if (image === undefined) {
    context.problems.push(`${at}.image is "." (the image the workload's pipeline builds): give the image to render with for container "${containerName}" (render option images, e.g. { "${containerName}": "registry.example/app:1.2.3" })`);
    return '.';
  }
  return image;
}

/** `command` or `args` with placeholders resolved (no secrets) and Kubernetes' `$(VAR)` expansion escaped. */
function listField(at: string, field: 'command' | 'args', items: readonly string[] | undefined, scope: PlaceholderScope, problems: string[]): Record<string, string[]> {
  if (items === undefined) return {};
  return {
    [field]: items.map((item, index) => {
      const result = substituteText(item, scope, `${at}.${field}[${index}]`, field);
      problems.push(...result.problems);
      return kubernetesLiteral(result.text);
    }),
  };
}

/** The container's `env`: helper variables of secret outputs first (`$(VAR)` reads only earlier ones), then the variables by name. */
function containerEnv(at: string, container: ScoreContainer, scope: PlaceholderScope, problems: string[]): EnvVar[] {
  const helpers = new Map<string, EnvVar>();
  const variables = Object.keys(container.variables ?? {})
    .sort()
    .map((variable) => {
      const result = variableEnv(variable, container.variables![variable], scope, `${at}.variables.${variable}`);
      problems.push(...result.problems);
      for (const helper of result.helpers) helpers.set(helper.name, helper);
      return result.env;
    });
  for (const variable of variables) {
    if (helpers.has(variable.name)) problems.push(`${at}.variables.${variable.name}: the name is taken by the variable idpkit defines to read a secret output from its Secret: rename the variable`);
  }
  return [...[...helpers.values()].sort((a, b) => (a.name < b.name ? -1 : 1)), ...variables];
}

/** Requests and limits, with the defaults where the file sets none; a request above its limit is a problem. */
function containerResources(at: string, container: ScoreContainer, problems: string[]): Record<string, Record<string, string>> {
  const requests = { ...container.resources?.requests };
  const limits = { ...container.resources?.limits };
  const smaller = (a: string, b: string) => (parseQuantity(a)! <= parseQuantity(b)! ? a : b);
  const larger = (a: string, b: string) => (parseQuantity(a)! >= parseQuantity(b)! ? a : b);
  // Kubernetes makes a request the limit when only the limit is set; the defaults stay within it.
  requests.cpu ??= limits.cpu ? smaller(WORKLOAD_CONTAINER_DEFAULTS.cpuRequest, limits.cpu) : WORKLOAD_CONTAINER_DEFAULTS.cpuRequest;
  requests.memory ??= limits.memory ? smaller(WORKLOAD_CONTAINER_DEFAULTS.memoryRequest, limits.memory) : WORKLOAD_CONTAINER_DEFAULTS.memoryRequest;
  limits.memory ??= larger(WORKLOAD_CONTAINER_DEFAULTS.memoryLimit, requests.memory);
  for (const resource of ['cpu', 'memory'] as const) {
    const request = requests[resource]!;
    const limit = limits[resource];
    if (limit !== undefined && parseQuantity(request)! > parseQuantity(limit)!) {
      problems.push(`${at}.resources.requests.${resource} "${request}" is more than resources.limits.${resource} "${limit}": a request must not exceed its limit`);
    }
  }
  return { requests, limits };
}

/** A Score probe as a Kubernetes probe; with both `exec` and `httpGet`, `exec` (Score prefers it). */
function probe(field: 'livenessProbe' | 'readinessProbe', scoreProbe: ScoreProbe | undefined): Record<string, unknown> {
  if (!scoreProbe) return {};
  if (scoreProbe.exec) return { [field]: { exec: { command: [...scoreProbe.exec.command] } } };
  const http = scoreProbe.httpGet!;
  return {
    [field]: {
      httpGet: {
        path: http.path,
        port: http.port,
        ...(http.host ? { host: http.host } : {}),
        ...(http.scheme ? { scheme: http.scheme } : {}),
        ...(http.httpHeaders ? { httpHeaders: http.httpHeaders.map((header) => ({ name: header.name, value: header.value })) } : {}),
      },
    },
  };
}

/** A container's files (ConfigMap entries mounted with subPath) and volumes (resource volumes). */
function containerMounts(file: ScoreFile, containerName: string, container: ScoreContainer, scope: PlaceholderScope, resources: ReadonlyMap<string, WorkloadResource>, context: RenderContext): ContainerMounts {
  const problems = context.problems;
  const mounts: Record<string, unknown>[] = [];
  const files: FileEntry[] = [];
  const volumes = new Map<string, Readonly<Record<string, unknown>>>();
  const mounted = new Map<string, string>();
  const claim = (path: string, field: string): boolean => {
    if (!posix.isAbsolute(path)) {
      problems.push(`${file.path}: ${field}: the target "${path}" is not an absolute path (e.g. "/etc/app/config.yaml")`);
      return false;
    }
    const normal = normalPath(path);
    const other = mounted.get(normal);
    if (other !== undefined) {
      problems.push(`${file.path}: ${field}: "${path}" is also mounted by ${other} (mount each path once per container)`);
      return false;
    }
    mounted.set(normal, field);
    return true;
  };
  for (const [target, entry] of Object.entries(container.files ?? {})) {
    const field = formatPath(['containers', containerName, 'files', target]);
    const at = `${file.path}: ${field}`;
    if (!claim(target, field)) continue;
    const content = fileContent(file, at, entry, scope, context);
    if (!content) continue;
    const key = fileKey(containerName, target);
    files.push({ key, target, ...(entry.mode === undefined ? {} : { mode: parseInt(entry.mode, 8) }), ...content });
    mounts.push({ name: FILES_VOLUME, mountPath: target, subPath: key, readOnly: true });
  }
  for (const [target, volume] of Object.entries(container.volumes ?? {})) {
    const field = formatPath(['containers', containerName, 'volumes', target]);
    const at = `${file.path}: ${field}`;
    if (!claim(target, field)) continue;
    const resolved = resolvePlaceholders(volume.source, scope, `${at}.source`, true);
    problems.push(...resolved.problems);
    if (resolved.problems.length > 0 || resolved.incomplete) continue;
    if (resolved.pieces.some((piece) => 'secret' in piece)) {
      problems.push(`${at}.source ${describeValue(volume.source)} is a secret output: name a resource of type volume (e.g. "\${resources.data}")`);
      continue;
    }
    const resourceName = resolved.pieces.map((piece) => ('text' in piece ? piece.text : '')).join('');
    const resource = resources.get(resourceName);
    if (!resource) {
      const declared = scope.resources[resourceName];
      if (!declared) problems.push(`${at}.source ${describeValue(volume.source)} names no resource of this workload (resources: ${listOf(Object.keys(scope.resources))}); declare a resource of type volume`);
      continue;
    }
    if (!resource.provisioned) continue;
    if (!resource.provisioned.volume) {
      problems.push(`${at}.source ${describeValue(volume.source)} is a resource of type ${resource.resource.type}, which is not a volume (volume sources are resources of type volume)`);
      continue;
    }
    const subPath = volume.path?.replace(/^\/+/, '');
    if (subPath !== undefined && subPath.split('/').includes('..')) {
      problems.push(`${at}.path ${describeValue(volume.path)} leaves the volume (".." is not allowed)`);
      continue;
    }
    volumes.set(resourceName, resource.provisioned.volume);
    mounts.push({ name: resourceName, mountPath: target, ...(subPath ? { subPath } : {}), ...(volume.readOnly ? { readOnly: true } : {}) });
  }
  return { mounts, files, volumes };
}

/** The content of one file: text with placeholders resolved (unless `noExpand`), or base64 binary. */
function fileContent(file: ScoreFile, at: string, entry: NonNullable<ScoreContainer['files']>[string], scope: PlaceholderScope, context: RenderContext): { text: string } | { binary: string } | undefined {
  const problems = context.problems;
  if (entry.binaryContent !== undefined) {
    if (!BASE64.test(entry.binaryContent)) {
      problems.push(`${at}.binaryContent is not standard base64 (A-Z, a-z, 0-9, "+", "/", "=" padding)`);
      return undefined;
    }
    return { binary: entry.binaryContent };
  }
  let text = entry.content;
  if (text === undefined) {
    const source = entry.source!;
    const path = isAbsolute(source) ? source : join(dirname(file.path), source);
    if (!context.options.readFile) {
      problems.push(`${at}.source "${source}": this render reads no local files (give the content inline with "content")`);
      return undefined;
    }
    let bytes: Buffer;
    try {
      bytes = context.options.readFile(path);
    } catch (error) {
      problems.push(`${at}.source "${source}" cannot be read (${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
      return undefined;
    }
    text = bytes.toString('utf8');
    if (!Buffer.from(text, 'utf8').equals(bytes)) {
      if (entry.noExpand) return { binary: bytes.toString('base64') };
      problems.push(`${at}.source "${source}" is not UTF-8 text, so its placeholders cannot be expanded: set noExpand: true to mount it as it is`);
      return undefined;
    }
  }
  if (entry.noExpand) return { text };
  const result = substituteText(text, scope, at, 'file content');
  problems.push(...result.problems);
  return result.problems.length > 0 || result.incomplete ? undefined : { text: result.text };
}

/** The ConfigMap of the workload's files, when it has any. */
function filesConfigMap(source: string, name: string, files: readonly FileEntry[], problems: string[]): (KubernetesObject & { data?: object; binaryData?: object }) | undefined {
  if (files.length === 0) return undefined;
  const data = Object.fromEntries(files.filter((entry) => entry.text !== undefined).map((entry) => [entry.key, entry.text!]));
  const binaryData = Object.fromEntries(files.filter((entry) => entry.binary !== undefined).map((entry) => [entry.key, entry.binary!]));
  const bytes = files.reduce((sum, entry) => sum + (entry.text !== undefined ? Buffer.byteLength(entry.text) : Buffer.from(entry.binary!, 'base64').length), 0);
  if (bytes > CONFIG_MAP_MAX_BYTES) problems.push(`${source}: the files of workload "${name}" hold ${bytes} bytes, more than a ConfigMap holds (1 MiB): mount large content from the image or a volume`);
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: `${name}-files` },
    ...(Object.keys(data).length > 0 ? { data } : {}),
    ...(Object.keys(binaryData).length > 0 ? { binaryData } : {}),
  };
}

/** A flow as a NetworkPolicy rule (`to` for egress, `from` for ingress). */
function rule(direction: 'to' | 'from', flow: NetworkFlow): Record<string, unknown> {
  return { [direction]: flow.peers, ...(flow.ports.length > 0 ? { ports: flow.ports.map((port) => ({ protocol: port.protocol, port: port.port })) } : {}) };
}

/** Rules without repeats, in first-seen order. */
function uniqueRules(rules: readonly Record<string, unknown>[]): Record<string, unknown>[] {
  const seen = new Set<string>();
  return rules.filter((candidate) => {
    const key = canonical(candidate);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * The workload's NetworkPolicy: its pods take traffic on their service ports from pods of the
 * namespace and from the platform's monitoring, plus what its resources let in (a route's
 * ingress controller); they reach the cluster DNS and what their resources need.
 */
function networkPolicy(name: string, workload: ScoreWorkloadSpec, resources: readonly WorkloadResource[], context: RenderContext): KubernetesObject {
  const podPorts = Object.values(workload.service?.ports ?? {}).map((port) => ({ protocol: port.protocol ?? 'TCP', port: port.targetPort ?? port.port }));
  const uniquePorts = [...new Map(podPorts.map((port) => [`${port.port}/${port.protocol}`, port])).values()];
  const provisioned = resources.flatMap((resource) => (resource.provisioned ? [resource.provisioned] : []));
  const dns = {
    to: [
      { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } },
      ...LINK_LOCAL_DNS_RESOLVERS[context.platform.cloud].map((cidr) => ({ ipBlock: { cidr } })),
    ],
    ports: [
      { protocol: 'UDP', port: 53 },
      { protocol: 'TCP', port: 53 },
    ],
  };
  const ingress = [
    ...(uniquePorts.length > 0 ? [{ from: [{ podSelector: {} }, { namespaceSelector: { matchLabels: { [PLATFORM_MONITORING_LABEL]: 'true' } } }], ports: uniquePorts }] : []),
    ...provisioned.flatMap((result) => (result.ingress ?? []).map((flow) => rule('from', flow))),
  ];
  const egress = [dns, ...provisioned.flatMap((result) => (result.egress ?? []).map((flow) => rule('to', flow)))];
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name },
    spec: { podSelector: { matchLabels: workloadSelector(name) }, policyTypes: ['Ingress', 'Egress'], ingress: uniqueRules(ingress), egress: uniqueRules(egress) },
  };
}
