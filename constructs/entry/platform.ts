/**
 * `idpkit/platform`: the stacks that compose the constructs per environment. `synthesizePlatform`,
 * `InfraStack`, `PlatformStack`, `StateBootstrapStack`, `TeamStack` and `IdpkitApp` (a team app
 * with the environment's tier and the policy packs at synth), the cloud kits. The stacks build any
 * of the three clouds, so this entry point loads every cloud provider. Re-exports only.
 */
export * from '../../stacks/clouds';
export * from '../../stacks';
