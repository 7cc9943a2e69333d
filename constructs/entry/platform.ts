/**
 * `idpkit/platform`: the stacks that compose the constructs per environment. `synthesizePlatform`,
 * `InfraStack`, `PlatformStack`, `StateBootstrapStack`, `TeamStack` and `IdpkitApp` (a team app
 * with the environment's tier and the policy packs at synth), the add-on catalog, and the types of the
 * cloud kits that add-on definitions use (not the kits' functions). The stacks build any of the three
 * clouds, so this entry point loads every cloud provider. Re-exports only.
 *
 * @packageDocumentation
 */
export * from '../../stacks';
export type {
  AddonBucketProps,
  AddonInfraBuilders,
  AddonInfraNeeds,
  AddonKey,
  AddonKeyProps,
  CloudKit,
  DatabaseNetwork,
  DnsZoneConfig,
  InfraParts,
  OutputSpec,
  ResourceGroupRef,
  Scope,
  StateStorageOptions,
  TerraformElement,
} from '../../stacks/clouds';
