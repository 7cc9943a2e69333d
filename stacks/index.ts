export {
  addPlatformStacks,
  type AddPlatformStacksOptions,
  type PlatformStacks,
  SYNTHESIS_CHECKS,
  type SynthesisCheck,
  type SynthesizeOptions,
  synthesizePlatform,
} from './app';
export { IdpkitApp, type IdpkitAppProps } from './idpkit-app';
export * from './infra-stack';
export * from './state-bootstrap-stack';
export * from './platform-stack';
export {
  type AddonConfig,
  addonConfigSchema,
  type AddonDefinition,
  type AddonResources,
  defineAddon,
  NO_ADDON_RESOURCES,
  type PlatformContext,
} from './platform/addon';
export { ADDON_WEBHOOK_PORTS, ADDONS, enabledAddons } from './platform/catalog';
export {
  type CloudInfraOutputs,
  type CloudResourcePlan,
  type DatabaseConnectionTarget,
  defaultWorkloadRenderer,
  INFRA_OUTPUTS,
  InfraRemoteState,
  OWNER_LABEL,
  type Team,
  TEAM_DEFAULTS,
  type TeamBucket,
  type TeamCloud,
  type TeamCloudResources,
  type TeamConfig,
  teamConfigSchema,
  type TeamDatabase,
  type TeamManagedDatabase,
  type TeamOn,
  TeamStack,
  teamStackName,
  type TeamStackProps,
  validateTeamConfig,
  type WorkloadRenderer,
} from './team';
export { goldenPathEnvironmentOf, goldenPathFilesOf, goldenPathsOf } from './golden-paths';
export {
  ADDON_CAPABILITIES,
  CATALOG_DIRECTORY,
  CATALOG_RESOURCE_RULES,
  type CatalogResourceRule,
  type CatalogResourceType,
  type CatalogStackRole,
  CHART_ADDONS,
  DEFAULT_SOURCE_BRANCH,
  type EnvironmentStacks,
  platformCatalog,
  type PlatformCatalogOptions,
  type TerraformDocument,
  type TerraformResourceBody,
  writePlatformCatalog,
  type WritePlatformCatalogOptions,
} from './catalog';
export { workloadPlatformOf, type WorkloadPlatformOptions } from './workloads';
