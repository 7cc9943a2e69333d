import type { Cloud } from '../../core/clouds';
import type { KubernetesObject } from '../../core/manifests';
import type { Tier } from '../../core/tiers';

/**
 * A Score workload (`apiVersion: score.dev/v1b1`) after schema validation, with the deprecated
 * list forms of `files` and `volumes` turned into the map form (target path -> entry).
 *
 * @see https://docs.score.dev/docs/score-specification/score-spec-reference/
 */
export interface ScoreWorkloadSpec {
  readonly apiVersion: 'score.dev/v1b1';
  readonly metadata: { readonly name: string; readonly annotations?: Readonly<Record<string, string>>; readonly [key: string]: unknown };
  readonly service?: { readonly ports?: Readonly<Record<string, ScoreServicePort>> };
  readonly containers: Readonly<Record<string, ScoreContainer>>;
  readonly resources?: Readonly<Record<string, ScoreResource>>;
}

/** One named port of `service.ports`. */
export interface ScoreServicePort {
  readonly port: number;
  /** @default "TCP" */
  readonly protocol?: 'TCP' | 'UDP';
  /** @default - the same as `port` */
  readonly targetPort?: number;
}

/** One container of `containers`. */
export interface ScoreContainer {
  /** Image reference; "." means the image the workload's own pipeline builds (given at render). */
  readonly image: string;
  readonly command?: readonly string[];
  readonly args?: readonly string[];
  readonly variables?: Readonly<Record<string, string>>;
  /** Files by target path (map form). */
  readonly files?: Readonly<Record<string, ScoreContainerFile>>;
  /** Volumes by target path (map form). */
  readonly volumes?: Readonly<Record<string, ScoreContainerVolume>>;
  readonly resources?: { readonly requests?: ScoreResourceList; readonly limits?: ScoreResourceList };
  readonly livenessProbe?: ScoreProbe;
  readonly readinessProbe?: ScoreProbe;
}

/** CPU and memory of `containers.<name>.resources.requests` or `.limits`. */
export interface ScoreResourceList {
  readonly cpu?: string;
  readonly memory?: string;
}

/** A file mounted into a container: exactly one of `source`, `content`, `binaryContent`. */
export interface ScoreContainerFile {
  /** Octal mode, e.g. "0600". */
  readonly mode?: string;
  /** Path of a local file, relative to the Score file. */
  readonly source?: string;
  readonly content?: string;
  /** Base64. */
  readonly binaryContent?: string;
  /** Placeholders in the content stay as they are. @default false */
  readonly noExpand?: boolean;
}

/** A volume mounted into a container. */
export interface ScoreContainerVolume {
  /** The resource that provides it: its name, or `${resources.<name>}`. */
  readonly source: string;
  /** Sub path inside the volume. */
  readonly path?: string;
  /** @default false */
  readonly readOnly?: boolean;
}

/** A liveness or readiness probe. */
export interface ScoreProbe {
  readonly httpGet?: {
    readonly host?: string;
    readonly scheme?: 'HTTP' | 'HTTPS';
    readonly path: string;
    readonly port: number;
    readonly httpHeaders?: readonly { readonly name: string; readonly value: string }[];
  };
  readonly exec?: { readonly command: readonly string[] };
}

/** One resource of `resources`: what the platform provisions for the workload. */
export interface ScoreResource {
  readonly type: string;
  readonly class?: string;
  /** Resources of the same type, class and id are one resource, shared by the workloads that name it. */
  readonly id?: string;
  readonly params?: Readonly<Record<string, unknown>>;
  readonly metadata?: { readonly annotations?: Readonly<Record<string, string>>; readonly [key: string]: unknown };
}

/** Where workloads are exposed from outside the cluster, as the environment runs it. */
export type WorkloadIngress =
  | {
      /** Gateway API: HTTPRoutes attach to a Gateway the platform runs. */
      readonly kind: 'gateway';
      readonly gatewayName: string;
      readonly gatewayNamespace: string;
    }
  | {
      /** Kubernetes Ingress of an ingress class the platform runs, TLS from cert-manager when an issuer is named. */
      readonly kind: 'ingress';
      readonly className: string;
      /** cert-manager ClusterIssuer of the certificates. @default - no TLS certificate is requested */
      readonly clusterIssuer?: string;
    };

/**
 * What the engine knows of the environment a workload runs in: which add-ons run, hence which
 * resource types it can provision. Built from a validated environment (`stacks/workloads.ts`) or
 * given by a team stack; plain data, no constructs.
 */
export interface WorkloadPlatform {
  /** Environment name. */
  readonly environment: string;
  readonly cloud: Cloud;
  readonly tier: Tier;
  /** AWS or GCP region, Azure location. */
  readonly region: string;
  /** Keys of the add-ons the environment enables (`crossplane`, `cloudnativePg`, `externalSecrets`, `externalDns`, ...). */
  readonly addons: readonly string[];
  /** The Crossplane `PostgreSQLInstance` API, when installed: which Compositions it offers and its default. @default - not installed */
  readonly databaseApi?: { readonly compositions: readonly ('cloud' | 'cloudnative-pg')[]; readonly defaultComposition: 'cloud' | 'cloudnative-pg' };
  /** The DNS zone external-dns writes records to (e.g. `apps.acme.example`). @default - no DNS */
  readonly dnsZone?: string;
  /** How routes reach workloads. @default - no routes */
  readonly ingress?: WorkloadIngress;
  /** Prefix of the environment's secrets in the cloud secret manager (External Secrets may read only these). */
  readonly secretsPrefix: string;
  /** The GitOps repository the environment's root Application syncs, and its directory. @default - no Argo CD */
  readonly gitops?: { readonly repoUrl: string; readonly path: string; readonly revision: string };
  /** Tenant namespaces the platform creates; empty when it manages none. */
  readonly namespaces: readonly string[];
  /** The network's address range (for egress to managed services in it). */
  readonly networkCidr: string;
  /**
   * Whether the caller creates cloud resources (buckets, managed databases, cloud identities):
   * true in a team stack's `ScoreWorkload`, false for `idpkit workload render`, which writes
   * Kubernetes objects only. @default false
   */
  readonly cloudResources?: boolean;
}

/** How a workload reads one output of a resource: a value, or a key of a Secret (never the secret itself). */
export type ResourceOutput = { readonly value: string } | { readonly secret: { readonly name: string; readonly key: string } };

/** A cloud resource a provisioner needs created outside the cluster (by the team stack's Terraform). */
export type CloudResourceRequest =
  | {
      readonly kind: 'bucket';
      /**
       * The bucket's name (unique per cloud: made from environment, namespace and instance), valid
       * everywhere: 3-24 lowercase letters and digits. On Azure, the storage account's name and
       * that of its one blob container.
       */
      readonly name: string;
      /** The Kubernetes service account that reads and writes it, through workload identity. */
      readonly namespace: string;
      readonly serviceAccount: string;
    }
  | {
      readonly kind: 'database';
      /** The managed PostgreSQL instance's short name. */
      readonly name: string;
      readonly namespace: string;
      /** Size of the idpkit database size table. */
      readonly size?: string;
      /** Storage to start with, GiB. @default - the team stack's default */
      readonly storageGiB?: number;
      /** PostgreSQL major version. @default - the team stack's default */
      readonly version?: string;
      /** A synchronous standby in another zone. @default - the team stack's default */
      readonly highAvailability?: boolean;
      /** Days of backups. @default - the team stack's default */
      readonly backupRetentionDays?: number;
      /** The Secret the connection details are synced into (by External Secrets). */
      readonly secretName: string;
      /**
       * The secret in the cloud secret manager (under `platform.secretsPrefix`, so External Secrets
       * may read it) the team stack writes the connection details into, JSON with `host`, `port`,
       * `dbname` and `username`: the managed database's `connectionSecretName`.
       */
      readonly connectionSecretName: string;
    };

/** What a provisioner is asked for: one resource of one workload (or one shared resource). */
export interface ProvisionRequest {
  readonly platform: WorkloadPlatform;
  /** Namespace of the workload and of what is provisioned for it. */
  readonly namespace: string;
  /** Name of the workload (`metadata.name`); for a shared resource, the first workload naming it. */
  readonly workload: string;
  /** Key of the resource in `resources`. */
  readonly resourceName: string;
  /** The resource, its `params` with placeholders already resolved. */
  readonly resource: ScoreResource;
  /**
   * Name for the objects made for it, a DNS label unique in the namespace: `<workload>-<resource>`,
   * or `<id>` for a shared resource.
   */
  readonly instanceName: string;
  /** The Kubernetes service account of the workload's pods. */
  readonly serviceAccount: string;
  /** The workload's `service.ports` (what a route may send traffic to); empty when it has none. */
  readonly servicePorts: Readonly<Record<string, ScoreServicePort>>;
  /** Rendering for a pull request's preview namespace (objects carry no namespace; nothing outside the cluster). */
  readonly preview: boolean;
  /** Where the resource is, for messages: `<file>: resources.<name>`. */
  readonly at: string;
  /** Values given at render (`RenderOptions.variables`), which the `environment` type provides. */
  readonly variables: Readonly<Record<string, string>>;
  /** The workloads rendered together, by name (the `service` type reads the ports of another). */
  readonly workloads: Readonly<Record<string, ScoreWorkloadSpec>>;
}

/** A NetworkPolicy peer and ports: one ingress or egress rule of the workload's policy. */
export interface NetworkFlow {
  /** `to` (egress) or `from` (ingress) peers, as in NetworkPolicy. */
  readonly peers: readonly Readonly<Record<string, unknown>>[];
  readonly ports: readonly { readonly protocol: 'TCP' | 'UDP'; readonly port: number }[];
}

/** What a provisioner made for a resource. */
export interface Provisioned {
  /** Objects to apply beside the workload (claims, ExternalSecrets, Services, ...). */
  readonly objects: readonly KubernetesObject[];
  /** Outputs placeholders `${resources.<name>.<output>}` read. */
  readonly outputs: Readonly<Record<string, ResourceOutput>>;
  /** Traffic the workload's pods may send because of this resource. @default [] */
  readonly egress?: readonly NetworkFlow[];
  /** Traffic the workload's pods may receive because of this resource (a route's ingress controller). @default [] */
  readonly ingress?: readonly NetworkFlow[];
  /** For `volume`: the pod volume a container's `volumes.<path>.source` mounts (without `name`). */
  readonly volume?: Readonly<Record<string, unknown>>;
  /** Cloud resources the team stack must create (only when `platform.cloudResources`). @default [] */
  readonly cloud?: readonly CloudResourceRequest[];
  /**
   * The workload must run one pod at a time, the old one stopped before the new one starts
   * (a volume that only one node can attach). @default false
   */
  readonly singleReplica?: boolean;
}

/**
 * One resource type of Score's `resources`: one file in `provisioners/`, listed in `PROVISIONERS`.
 * A type is refused with the list of available ones when the environment cannot provision it.
 */
export interface ResourceProvisioner {
  /** Score `type`, e.g. `postgres`. */
  readonly type: string;
  /** One line for docs and `--help`: what it provisions. */
  readonly description: string;
  /** Classes it accepts (the default one depends on the environment: see `unavailable`). Empty: `class` must be absent. */
  readonly classes: readonly string[];
  /** The outputs it always provides, for docs and messages; `secret` outputs become `secretKeyRef`s. */
  readonly outputs: Readonly<Record<string, 'value' | 'secret'>>;
  /**
   * Why this type (of this class) cannot be provisioned in the environment, naming what to enable
   * or use instead; undefined when it can. `resourceClass` undefined means the default class.
   */
  unavailable(platform: WorkloadPlatform, resourceClass: string | undefined, preview: boolean): string | undefined;
  /** The objects and outputs for one resource; throws IdpkitError naming `request.at` on bad params. */
  provision(request: ProvisionRequest): Provisioned;
}

/** A Score file to render: its path (for messages, and `files.<target>.source` relative to it) and text. */
export interface ScoreFile {
  readonly path: string;
  readonly text: string;
}

/** How to render workloads into one environment. */
export interface RenderOptions {
  /** Namespace the workloads run in (a tenant namespace when the platform manages tenants). */
  readonly namespace: string;
  /** Images for containers whose `image` is ".", by container name, or "*" for every such container. @default {} - "." is an error */
  readonly images?: Readonly<Record<string, string>>;
  /** Render for the preview ApplicationSet: no namespace on objects, no Argo CD Applications, dev-sized. @default false */
  readonly preview?: boolean;
  /** Reads a `files.<target>.source` file (path resolved against the Score file's directory). @default - such files are an error */
  readonly readFile?: (path: string) => Buffer;
  /** Values the `environment` resource type provides, by key. @default {} */
  readonly variables?: Readonly<Record<string, string>>;
}

/** One rendered workload. */
export interface RenderedWorkload {
  readonly name: string;
  readonly namespace: string;
  /** The Score file it came from. */
  readonly source: string;
  readonly serviceAccount: string;
  /**
   * Whether the service account needs the cloud's workload identity (a resource grants it cloud
   * access): the caller binds it to a cloud identity (annotation, federated credential).
   */
  readonly cloudIdentity: boolean;
  /** Its objects (Deployment, Service, ServiceAccount, NetworkPolicy, PodDisruptionBudget, ConfigMaps, what its own resources need). */
  readonly objects: readonly KubernetesObject[];
}

/** What rendering a set of Score files gives. */
export interface RenderedWorkloads {
  readonly workloads: readonly RenderedWorkload[];
  /** Objects of shared resources (`id`), once each. */
  readonly shared: readonly KubernetesObject[];
  /** The output layout (docs/workloads.md): path relative to the output directory -> YAML, sorted by path. */
  readonly files: Readonly<Record<string, string>>;
  /** Cloud resources the team stack must create. */
  readonly cloud: readonly CloudResourceRequest[];
}
