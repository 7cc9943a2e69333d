import { Construct } from 'constructs';
import { CHARTS } from '../../core/charts';
import { IdpkitError } from '../../core/errors';
import { AddonProps, HelmAddon } from '../../core/helm-addon';
import type { WorkloadIdentity } from '../../integration/identity';
import type { PolicyStatement } from '../../integration/identity/aws';
import { tierDefault } from '../../core/tiers';

/** Namespace of Kubecost. */
export const KUBECOST_NAMESPACE = 'kubecost';
/**
 * Service account of Kubecost's aggregator and cloud-cost pods: the chart names it after the
 * release (`kubecost.fullname`, which is the release name `kubecost` when it contains the chart name).
 */
export const KUBECOST_SERVICE_ACCOUNT = 'kubecost';

/** AWS billing: the Cost and Usage Report (CUR 2.0 or legacy) queried through Athena. */
export interface KubecostAthenaBilling {
  readonly cloud: 'aws';
  /** Account that owns the Athena database and buckets (the environment's). */
  readonly accountId: string;
  /** Region of the Athena workgroup and Glue database. */
  readonly region: string;
  /** S3 bucket Athena writes query results to (Kubecost reads them back). */
  readonly resultsBucket: string;
  /** S3 bucket holding the CUR files the Athena table reads. */
  readonly curBucket: string;
  /** Glue database of the CUR table. */
  readonly database: string;
  /** The CUR table. */
  readonly table: string;
  /** Athena workgroup. */
  readonly workgroup: string;
}

/** Azure billing: a Cost Management export to a storage container. */
export interface KubecostAzureBilling {
  readonly cloud: 'azure';
  readonly subscriptionId: string;
  readonly resourceGroup: string;
  /** Storage account the export writes to. */
  readonly storageAccount: string;
  /** Container of the export. */
  readonly container: string;
  /** Path of the export inside the container. */
  readonly path: string;
  /** Azure cloud: `public`, `gov` or `china`. */
  readonly azureCloud: 'public' | 'gov' | 'china';
}

/** GCP billing: the detailed Cloud Billing export to BigQuery. */
export interface KubecostBigQueryBilling {
  readonly cloud: 'gcp';
  /** Project of the export dataset. */
  readonly projectId: string;
  readonly dataset: string;
  readonly table: string;
}

/** Where Kubecost reads the cloud bill. */
export type KubecostBilling = KubecostAthenaBilling | KubecostAzureBilling | KubecostBigQueryBilling;

/**
 * Read access to the CUR through Athena, as the Kubecost docs ask for it, scoped to the one
 * workgroup, Glue database and table, and the two buckets. The only writes are Athena's query
 * results, to the results bucket.
 *
 * @see https://www.ibm.com/docs/en/kubecost/self-hosted/3.x?topic=integrations-aws-cloud-billing-integration
 */
export function kubecostAthenaPolicy(billing: KubecostAthenaBilling): PolicyStatement[] {
  const { accountId, region } = billing;
  return [
    {
      Sid: 'AthenaQueries',
      Effect: 'Allow',
      Action: ['athena:StartQueryExecution', 'athena:GetQueryExecution', 'athena:GetQueryResults', 'athena:GetWorkGroup'],
      Resource: [`arn:aws:athena:${region}:${accountId}:workgroup/${billing.workgroup}`],
    },
    {
      Sid: 'CurTable',
      Effect: 'Allow',
      Action: ['glue:GetDatabase', 'glue:GetDatabases', 'glue:GetTable', 'glue:GetTables', 'glue:GetPartition', 'glue:GetPartitions', 'glue:BatchGetPartition'],
      Resource: [
        `arn:aws:glue:${region}:${accountId}:catalog`,
        `arn:aws:glue:${region}:${accountId}:database/${billing.database}`,
        `arn:aws:glue:${region}:${accountId}:table/${billing.database}/${billing.table}`,
      ],
    },
    {
      Sid: 'CurFiles',
      Effect: 'Allow',
      Action: ['s3:GetBucketLocation', 's3:ListBucket', 's3:GetObject'],
      Resource: [`arn:aws:s3:::${billing.curBucket}`, `arn:aws:s3:::${billing.curBucket}/*`],
    },
    {
      Sid: 'AthenaResults',
      Effect: 'Allow',
      Action: [
        's3:GetBucketLocation',
        's3:ListBucket',
        's3:ListBucketMultipartUploads',
        's3:GetObject',
        's3:PutObject',
        's3:ListMultipartUploadParts',
        's3:AbortMultipartUpload',
      ],
      Resource: [`arn:aws:s3:::${billing.resultsBucket}`, `arn:aws:s3:::${billing.resultsBucket}/*`],
    },
  ];
}

/** The storage container of an Azure billing export, as an Azure resource id (the scope of its read grant). */
export const kubecostAzureExportScope = (billing: KubecostAzureBilling): string =>
  `/subscriptions/${billing.subscriptionId}/resourceGroups/${billing.resourceGroup}/providers/Microsoft.Storage/storageAccounts/${billing.storageAccount}/blobServices/default/containers/${billing.container}`;

/** GCP project roles Kubecost needs to query the BigQuery billing export. */
export const KUBECOST_BIGQUERY_ROLES = ['roles/bigquery.dataViewer', 'roles/bigquery.jobUser'] as const;

/** The chart's `cloud-integration.json`: the billing source, authenticated by workload identity (no keys). */
export function kubecostCloudIntegration(billing: KubecostBilling): Record<string, unknown> {
  switch (billing.cloud) {
    case 'aws':
      return {
        aws: {
          athena: [
            {
              bucket: `s3://${billing.resultsBucket}`,
              region: billing.region,
              database: billing.database,
              table: billing.table,
              workgroup: billing.workgroup,
              account: billing.accountId,
              authorizer: { authorizerType: 'AWSServiceAccount' },
            },
          ],
        },
      };
    case 'azure':
      return {
        azure: {
          storage: [
            {
              subscriptionID: billing.subscriptionId,
              account: billing.storageAccount,
              container: billing.container,
              path: billing.path,
              cloud: billing.azureCloud,
              authorizer: { authorizerType: 'AzureDefaultCredential' },
            },
          ],
        },
      };
    case 'gcp':
      return {
        gcp: {
          bigQuery: [{ projectID: billing.projectId, dataset: billing.dataset, table: billing.table, authorizer: { authorizerType: 'GCPWorkloadIdentity' } }],
        },
      };
  }
}

/** Props of {@link Kubecost}. */
export interface KubecostProps extends AddonProps {
  /** The cluster's name: `global.clusterId`, unique across clusters that share federated storage. */
  readonly clusterName: string;
  /** Two frontend replicas and persistent volumes; otherwise one replica and ephemeral storage. @default - the tier's `highAvailability` (off in dev); true without a tier */
  readonly highAvailability?: boolean;
  /** Read the cloud bill (reconciled costs, out-of-cluster spend). @default - public list prices only */
  readonly billing?: KubecostBilling;
  /** The cloud identity of Kubecost's service account; required with `billing`. @default - none */
  readonly identity?: WorkloadIdentity;
  /** The network-costs DaemonSet (host network, privileged: its namespace then enforces no Pod Security level). @default false */
  readonly networkCosts?: boolean;
  /** ServiceMonitors for the aggregator (and network costs) metrics (needs kube-prometheus-stack). @default false */
  readonly serviceMonitor?: boolean;
}

/**
 * Kubecost 3.x (IBM) in the `kubecost` namespace: Kubernetes cost allocation collected by its own
 * FinOps agent (3.x needs no Prometheus), reconciled with the cloud bill when `billing` is given:
 * the AWS CUR through Athena, an Azure Cost Management export, or the GCP BigQuery billing export,
 * each read through the workload identity of its service account (no keys in the cluster).
 *
 * - HA: two frontend replicas, persistent volumes for the aggregator database, the local store and
 *   the cloud-cost configs. Dev: one replica, emptyDir storage (data is rebuilt after a restart).
 *   The aggregator stays a single replica: its ClickHouse database has one writer.
 * - The namespace enforces the **baseline** Pod Security level (the FinOps agent subchart's pods
 *   are not verified against restricted), or **privileged** with `networkCosts`.
 *
 * @see https://github.com/kubecost/kubecost
 * @example
 * new Kubecost(this, 'kubecost', { clusterName: 'idp-prod' });
 */
export class Kubecost extends Construct {
  /** The Helm release. */
  readonly addon: HelmAddon;

  constructor(scope: Construct, id: string, props: KubecostProps) {
    super(scope, id);
    if (props.billing && !props.identity) {
      throw new IdpkitError('IDPKIT_INVALID_PROPS', [`${this.node.path}: billing (${props.billing.cloud}) needs identity, the workload identity that may read the bill`]);
    }
    const ha = props.highAvailability ?? tierDefault(this, (rules) => rules.highAvailability, true);
    const networkCosts = props.networkCosts ?? false;
    const monitored = props.serviceMonitor ?? false;
    const identity = props.identity ?? { serviceAccountAnnotations: {}, podLabels: {} };
    const storage = ha
      ? {}
      : {
          localStore: { persistentVolume: { enabled: false } },
          aggregator: { useEmptyDir: true },
          cloudCost: { persistentConfigsStorage: { enabled: false } },
        };
    this.addon = new HelmAddon(this, 'release', {
      chart: CHARTS.kubecost,
      namespace: KUBECOST_NAMESPACE,
      podSecurity: networkCosts ? 'privileged' : 'baseline',
      values: {
        ...storage,
        global: { clusterId: props.clusterName, additionalLabels: { ...identity.podLabels } },
        serviceAccount: { create: true, annotations: { ...identity.serviceAccountAnnotations } },
        frontend: { replicas: ha ? 2 : 1 },
        aggregator: { ...storage.aggregator, replicas: 1, serviceMonitor: { enabled: monitored } },
        networkCosts: { enabled: networkCosts, serviceMonitor: { enabled: monitored && networkCosts } },
        cloudCost: {
          ...storage.cloudCost,
          enabled: true,
          ...(props.billing ? { cloudIntegrationJSON: JSON.stringify(kubecostCloudIntegration(props.billing)) } : {}),
        },
      },
      valueOverrides: props.valueOverrides,
      dependsOn: props.dependsOn,
    });
  }
}
