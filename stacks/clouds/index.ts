import type { Cloud } from '../../constructs/core/clouds';
import type { EnvironmentOn } from '../../environments/types';
import type { CloudKit } from './kit';

export * from './kit';

/**
 * Each cloud's kit, the one place a stack finds how its environment's cloud is built, loaded the
 * first time an environment on that cloud is built: an app whose environments are on one cloud
 * loads only that cloud's provider bindings, so it installs only that provider (docs/library.md).
 */
const CLOUD_KIT_LOADERS: { readonly [C in Cloud]: () => CloudKit<C> } = {
  aws: () => require('./aws').awsKit,
  azure: () => require('./azure').azureKit,
  gcp: () => require('./gcp').gcpKit,
};

/** The kit of an environment's cloud. */
export const kitOf = <C extends Cloud>(env: EnvironmentOn<C>): CloudKit<C> => CLOUD_KIT_LOADERS[env.cloud as C]();
