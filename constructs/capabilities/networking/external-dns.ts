import { ConfigMapV1 } from '@cdktf/provider-kubernetes/lib/config-map-v1';
import { Construct } from 'constructs';
import type { TerraformResource } from '../../core/cdktf';
import { CHARTS } from '../../core/charts';
import { AddonProps, HelmAddon, podSecurityNamespace } from '../../core/helm-addon';
import type { WorkloadIdentity } from '../../integration/identity';

/** Namespace and service account of external-dns. */
export const EXTERNAL_DNS_NAMESPACE = 'external-dns';
export const EXTERNAL_DNS_SERVICE_ACCOUNT = 'external-dns';

/** How external-dns reconciles records: `upsert-only` never deletes, `sync` also deletes what it owns. */
export const EXTERNAL_DNS_POLICIES = ['upsert-only', 'sync', 'create-only'] as const;
export type ExternalDnsPolicy = (typeof EXTERNAL_DNS_POLICIES)[number];

/** The zone external-dns manages, per cloud (it exists already). */
export type ExternalDnsZone =
  | { readonly cloud: 'aws'; readonly domain: string; readonly hostedZoneId: string }
  | { readonly cloud: 'azure'; readonly domain: string; readonly tenantId: string; readonly subscriptionId: string; readonly resourceGroupName: string }
  | { readonly cloud: 'gcp'; readonly domain: string; readonly project: string };

/** Props of {@link ExternalDns}. */
export interface ExternalDnsProps extends AddonProps {
  /** The cloud identity of the service account (records of this zone only). */
  readonly identity: WorkloadIdentity;
  /** The zone. */
  readonly zone: ExternalDnsZone;
  /** TXT registry owner id, unique per cluster writing to the zone (the cluster name). */
  readonly txtOwnerId: string;
  /** Record reconciliation. @default "upsert-only" */
  readonly policy?: ExternalDnsPolicy;
  /** Kubernetes sources of hostnames. @default ["service", "ingress"] */
  readonly sources?: readonly string[];
}

/** The chart's `provider.name` of each cloud. */
const PROVIDER = { aws: 'aws', azure: 'azure', gcp: 'google' } as const;

/** ConfigMap that holds Azure's `azure.json` (no secret in it: workload identity). */
const AZURE_CONFIG = 'external-dns-azure';

/**
 * ExternalDNS: DNS records in one existing zone for Services and Ingresses, through the cloud's
 * workload identity (`dns-records` on that zone only). One replica (external-dns has no leader
 * election), a TXT registry owned by the cluster, `upsert-only` unless told otherwise.
 *
 * @see https://kubernetes-sigs.github.io/external-dns/
 * @example
 * declare const identity: WorkloadIdentity;
 * new ExternalDns(this, 'external-dns', { identity, zone: { cloud: 'aws', domain: 'prod.acme.example', hostedZoneId: 'Z0123' }, txtOwnerId: 'idp-prod' });
 */
export class ExternalDns extends Construct {
  /** The Helm release. */
  readonly addon: HelmAddon;

  constructor(scope: Construct, id: string, props: ExternalDnsProps) {
    super(scope, id);
    const { zone } = props;
    const extraArgs: string[] = [];
    const extra: Record<string, unknown> = {};
    let azureConfig: ConfigMapV1 | undefined;
    switch (zone.cloud) {
      case 'aws':
        extraArgs.push(`--zone-id-filter=${zone.hostedZoneId}`);
        break;
      case 'gcp':
        extraArgs.push(`--google-project=${zone.project}`, '--google-zone-visibility=public');
        break;
      case 'azure': {
        const namespace = podSecurityNamespace(this, EXTERNAL_DNS_NAMESPACE, 'restricted');
        azureConfig = new ConfigMapV1(this, 'azure-config', {
          metadata: { name: AZURE_CONFIG, namespace: namespace.metadata.name },
          data: {
            'azure.json': JSON.stringify({
              tenantId: zone.tenantId,
              subscriptionId: zone.subscriptionId,
              resourceGroup: zone.resourceGroupName,
              useWorkloadIdentityExtension: true,
            }),
          },
        });
        extra.extraVolumes = [{ name: 'azure-config', configMap: { name: AZURE_CONFIG } }];
        extra.extraVolumeMounts = [{ name: 'azure-config', mountPath: '/etc/kubernetes', readOnly: true }];
        break;
      }
    }
    this.addon = new HelmAddon(this, 'release', {
      chart: CHARTS.externalDns,
      namespace: EXTERNAL_DNS_NAMESPACE,
      values: {
        provider: { name: PROVIDER[zone.cloud] },
        policy: props.policy ?? 'upsert-only',
        registry: 'txt',
        txtOwnerId: props.txtOwnerId,
        domainFilters: [zone.domain],
        sources: [...(props.sources ?? ['service', 'ingress'])],
        extraArgs,
        serviceAccount: { create: true, name: EXTERNAL_DNS_SERVICE_ACCOUNT, annotations: { ...props.identity.serviceAccountAnnotations } },
        podLabels: { ...props.identity.podLabels },
        ...extra,
      },
      valueOverrides: props.valueOverrides,
      dependsOn: props.dependsOn,
    });
    if (azureConfig) this.addon.release.dependsOn = [...(this.addon.release.dependsOn ?? []), dependencyOf(azureConfig)];
  }
}

/** A resource as `depends_on` lists it (`<type>.<id>`), for dependencies added after construction. */
const dependencyOf = (resource: TerraformResource): string => `${resource.terraformResourceType}.${resource.friendlyUniqueId}`;
