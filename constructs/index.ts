/**
 * `idpkit`: the cloud-neutral core. Errors, tiers, clouds, the cloud-neutral interfaces of the
 * constructs (networks, clusters, registries, keys, databases, storage, alerts, budgets), the
 * Kubernetes and Helm add-ons, environments, presets, workloads (Score), the portal and catalog,
 * cost estimates. Loads no cloud provider: the constructs of each cloud are in `idpkit/aws`,
 * `idpkit/azure` and `idpkit/gcp`, the guardrails in `idpkit/policy`, the stacks in
 * `idpkit/platform` (docs/library.md). Re-exports only.
 *
 * @packageDocumentation
 */
export { IdpkitError, type IdpkitErrorCode } from './core/errors';
export * from './core/tiers';
export * from './core/clouds';
export * from './core/overrides';
export * from './core/charts';
export {
  type AddonProps,
  DEFAULT_RELEASE_TIMEOUT_SECONDS,
  HelmAddon,
  type HelmAddonProps,
  type HelmValues,
  mergeValues,
  NODE_AGENT_TOLERATIONS,
  type PodSecurityLevel,
  podSecurityNamespace,
  stackNamespace,
} from './core/helm-addon';
export {
  KUBECTL_IMAGE,
  type KubernetesObject,
  ManifestsRelease,
  type ManifestsReleaseProps,
  type ReadinessCondition,
  readinessObjects,
} from './core/manifests';
export { toYaml } from './core/yaml';
export { cidrSubnet, cidrsOverlap, type Ipv4Block, parseCidr } from './core/cidr';
export type { SynthesizedOutput, TerraformDocument } from './core/synthesized-output';
export * from './integration/provider';
export * from './integration/provider/regions';
export * from './integration/provider/time';
export {
  type BucketReadWriteGrant,
  type BucketTarget,
  type CloudGrant,
  type DnsRecordsGrant,
  type DnsZoneTarget,
  type IdentityGrant,
  type KeyEncryptDecryptGrant,
  type KeySealGrant,
  type KeyTarget,
  type SecretsReadGrant,
  type WorkloadIdentity,
  type WorkloadIdentityRequest,
} from './integration/identity';
export * from './integration/kubernetes';
export * from './integration/state';
export * from './infrastructure/keys';
export * from './infrastructure/network';
export {
  CLUSTER_DEFAULTS,
  KARPENTER_DISCOVERY_TAG,
  type KubernetesCluster,
  type KubernetesClusterProps,
  NETWORK_POLICY_ENGINE_TAG,
  NODE_PROVISIONER_TAG,
  type NodeGroupProps,
  SPOT_NODE_TAINT,
} from './infrastructure/cluster';
export {
  MACHINE_CAPACITY,
  type MachineCapacity,
  machineVcpus,
  NODE_MACHINE_TYPES,
  NODE_SIZES,
  nodeAllocatable,
  type NodeAllocatable,
  type NodeSize,
} from './infrastructure/cluster/node-sizes';
export {
  OFF_HOURS_CLOUDS,
  OFF_HOURS_DEFAULTS,
  OFF_HOURS_NOT_NATIVE,
  type OffHoursSchedule,
} from './infrastructure/cluster/off-hours-schedule';
export {
  type ContainerRegistry,
  type ContainerRegistryProps,
  REGISTRY_DEFAULTS,
  REPOSITORY_NAME,
  REPOSITORY_NAME_RULE,
} from './infrastructure/registry';
export * from './capabilities/autoscaling/metrics-server';
export * from './capabilities/cicd/tekton';
export * from './capabilities/cost/opencost';
export * from './capabilities/mesh/cilium';
export * from './capabilities/mesh/istio';
export * from './capabilities/observability/alloy';
export {
  GRAFANA_ADMIN_SECRET,
  grafanaAdminObjects,
  KUBE_PROMETHEUS_STACK_NAMESPACE,
  KUBE_PROMETHEUS_STACK_PROMETHEUS,
  KUBE_PROMETHEUS_STACK_RELEASE,
  KubePrometheusStack,
  type KubePrometheusStackProps,
  prometheusRemoteWriteUrls,
  volumeClaimSpec,
} from './capabilities/observability/kube-prometheus-stack';
export * from './capabilities/secrets/external-secrets';
export * from './capabilities/security/falco';
export * from './capabilities/security/trivy-operator';
export * from './capabilities/tls/cert-manager';
export * from './orchestration/crossplane/crossplane';
export * from './orchestration/gitops/argocd';
export * from './orchestration/policy/gatekeeper';
export * from './orchestration/policy/kyverno';
export {
  COST_CENTER_LABEL,
  DEFAULT_TENANCY_MODE,
  LINK_LOCAL_DNS_RESOLVERS,
  PLATFORM_INGRESS_LABEL,
  PLATFORM_MONITORING_LABEL,
  TEAM_LABEL,
  Tenancy,
  TENANCY_MODES,
  TENANCY_RELEASE_NAMESPACE,
  type TenancyMode,
  type TenancyProps,
  TENANT_CONTAINER_DEFAULTS,
  TENANT_LABEL,
  TENANT_QUOTA_DEFAULTS,
  tenantNamespace,
  tenantNetworkPolicies,
  type TenantQuota,
  tenantQuotaObjects,
  type TenantRole,
  tenantRoleBinding,
  type TenantTeam,
} from './orchestration/tenancy/tenancy';
export {
  Backstage,
  BACKSTAGE_CATALOG_DEFAULTS,
  BACKSTAGE_CATALOG_KINDS,
  BACKSTAGE_DATABASE_DEFAULTS,
  BACKSTAGE_GITHUB_TOKEN_SECRET,
  BACKSTAGE_NAMESPACE,
  type BackstageCatalogProps,
  type BackstageDatabaseProps,
  type BackstageGithubTokenSource,
  type BackstageImageProps,
  type BackstageIngressProps,
  type BackstageProps,
  CATALOG_LOCATION_RULES,
  GITHUB_REPOSITORY_FORMS,
  githubCatalogUrl,
  githubRepositoryOf,
} from './interface/backstage/backstage';
export * from '../environments/types';
export { ENVIRONMENT_SELECTOR_VARIABLE, loadEnvironmentFile, loadPolicyFile, selectEnvironments } from '../environments/load';
export {
  Kubecost,
  KUBECOST_BIGQUERY_ROLES,
  KUBECOST_NAMESPACE,
  KUBECOST_SERVICE_ACCOUNT,
  type KubecostAthenaBilling,
  type KubecostAzureBilling,
  kubecostAzureExportScope,
  type KubecostBigQueryBilling,
  type KubecostBilling,
  kubecostCloudIntegration,
  type KubecostProps,
} from './capabilities/cost/kubecost';
export { BUCKET_NAME, DEFAULT_NONCURRENT_VERSION_RETENTION_DAYS, type ObjectBucket, type ObjectBucketProps } from './capabilities/storage';
export * from './capabilities/secrets/vault';
export * from './capabilities/observability/loki';
export * from './capabilities/observability/tempo';
export * from './capabilities/networking/external-dns';
export {
  type Database,
  DATABASE_ALERT_THRESHOLDS,
  DATABASE_BACKUP_RETENTION_DAYS,
  DATABASE_DEFAULTS,
  DATABASE_INSTANCE_CLASSES,
  DATABASE_NAME,
  DATABASE_SIZE_VCPUS,
  DATABASE_SIZES,
  DATABASE_STORAGE_GIB,
  type DatabaseInstanceClass,
  type DatabaseProps,
  type DatabaseSize,
  POSTGRES_DATABASE_NAME,
  POSTGRES_LOG_SETTINGS,
  POSTGRES_PORT,
  POSTGRES_VERSIONS,
  type PostgresVersion,
  type ResolvedDatabaseProps,
} from './capabilities/database';
export {
  CLOUDNATIVE_PG_NAMESPACE,
  CloudNativePg,
  type CloudNativePgProps,
  CNPG_CLUSTER_DEFAULTS,
  CNPG_POSTGRES_IMAGE,
  CNPG_POSTGRES_VERSIONS,
  cnpgCluster,
  type CnpgClusterProps,
  cnpgPodMonitor,
  type CnpgPostgresVersion,
} from './capabilities/database/cloudnative-pg';
export * from './orchestration/crossplane/databases';
export type { CrossplaneIdentitySource, CrossplaneProviderRef } from './orchestration/crossplane/providers';
export { ALERT_RECIPIENTS_NAME, type AlertRecipients, type AlertRecipientsProps, EMAIL_ADDRESS } from './capabilities/observability/alerts';
export {
  BILLING_ACCOUNT_ID,
  type Budget,
  BUDGET_DEFAULTS,
  BUDGET_NAME,
  type BudgetAlert,
  type BudgetLimits,
  type BudgetProps,
  CURRENCY_CODE,
  type ResolvedBudgetProps,
  THRESHOLD_PERCENT_RANGE,
} from './capabilities/cost/budget';
export {
  AWS_MANAGED_POLICY_ARN_PATTERN,
  CI_ENVIRONMENT_PATTERN,
  type CiOutput,
  ciOutputName,
  DEFAULT_GITHUB_BRANCH,
  defaultStateStackNames,
  deployIdentityName,
  type DeployPurpose,
  GCP_IAM_ROLE_PATTERN,
  GITHUB_BRANCH_PATTERN,
  GITHUB_OIDC_AWS_AUDIENCE,
  GITHUB_OIDC_AZURE_AUDIENCE,
  GITHUB_OIDC_HOST,
  GITHUB_OIDC_ISSUER,
  GITHUB_OWNER_PATTERN,
  GITHUB_REPO_PATTERN,
  type GithubDeployIdentities,
  type GithubDeployProps,
  githubDeploySubjects,
  type GithubDeploySubjects,
  type GithubRepository,
  githubRepositoryName,
  type GithubSubject,
  type GithubSubjectKind,
  TYPES_WITHOUT_CLOUD_CALLS,
} from './integration/ci';
export {
  CAPABILITIES,
  type Capability,
  type CapabilityChoice,
  type Preset,
  presetAddons,
  type PresetAddonSettings,
  presetDefaults,
  type PresetDefaults,
  type PresetDefaultsOptions,
  type PresetNodeGroup,
  Presets,
  PRESETS,
  type Size,
  SIZES,
} from './presets';
export * from './presets/apply';
export { environmentTemplate, type EnvironmentTemplate, type EnvironmentTemplateOptions, templatePlaceholders } from './presets/template';
export * from './orchestration/workloads/types';
export {
  checkScoreWorkload,
  parseScoreFile,
  readScoreFile,
  SCORE_API_VERSION,
  type ScoreReadResult,
  validateScoreWorkload,
} from './orchestration/workloads/score';
export * from './orchestration/workloads/render';
export * from './orchestration/workloads/layout';
export * from './orchestration/workloads/defaults';
export * from './orchestration/workloads/labels';
export * from './orchestration/workloads/provisioners';
export * from './orchestration/workloads/score-workload';
export {
  type AssumptionUse,
  COST_ASSUMPTION_FIELDS,
  COST_METADATA_PATH,
  type CostAssumptions,
  type CostEstimate,
  type CostLine,
  type CostMetadata,
  DEFAULT_ASSUMPTION_TIER,
  DEFAULT_COST_ASSUMPTIONS,
  type EnvironmentEstimate,
  estimateCost,
  MAX_ASSUMPTION_GIB,
  type Price,
  PRICE_TABLE_VERSION,
  PRICED_REGIONS,
  priceOf,
  PRICES,
  type PriceSource,
  type PriceUnit,
  type StackEstimate,
} from './capabilities/cost/estimate';
export * from './capabilities/cost/estimate/compare';
export * from './interface/backstage/golden-paths';
export {
  ADDON_COMPONENT_TYPE,
  addonComponentName,
  assertCatalogValid,
  BACKSTAGE_API_VERSION,
  CATALOG_COST_CENTER_LABEL,
  CATALOG_ENVIRONMENTS,
  CATALOG_FILES,
  type CatalogAddon,
  catalogDocuments,
  type CatalogDocuments,
  type CatalogEntity,
  type CatalogEnvironment,
  catalogFiles,
  type CatalogInventory,
  type CatalogPlatform,
  type CatalogRelease,
  type CatalogRepository,
  type CatalogResource,
  type CatalogTeam,
  componentEntity,
  type ComponentEntity,
  DEFAULT_ENTITY_NAMESPACE,
  domainEntity,
  type DomainEntity,
  ENTITY_NAME_PATTERN,
  ENTITY_NAME_RULE,
  type EntityKind,
  type EntityLink,
  type EntityMetadata,
  entityRef,
  environmentEntities,
  GROUP_TYPE,
  groupEntity,
  type GroupEntity,
  groupName,
  HELM_INSTANCE_LABEL,
  IDPKIT_ENTITY_KEYS,
  locationEntity,
  type LocationEntity,
  MAX_ENTITY_NAME_LENGTH,
  type ParsedEntityRef,
  parseEntityRef,
  PLATFORM_DOMAIN,
  PLATFORM_LOCATION,
  platformEntities,
  platformLocation,
  PLUGIN_ANNOTATIONS,
  renderCatalogFiles,
  renderEntities,
  resourceEntity,
  type ResourceEntity,
  resourceName,
  systemEntity,
  type SystemEntity,
  type TerraformOrigin,
} from './interface/catalog';
