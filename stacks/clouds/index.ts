import type { Cloud } from '../../constructs/core/clouds';
import type { EnvironmentOn } from '../../environments/types';
import { awsKit } from './aws';
import { azureKit } from './azure';
import { gcpKit } from './gcp';
import type { CloudKit } from './kit';

export * from './kit';

/** Each cloud's kit: the one place a stack finds how its environment's cloud is built. */
export const CLOUD_KITS: { readonly [C in Cloud]: CloudKit<C> } = { aws: awsKit, azure: azureKit, gcp: gcpKit };

/** The kit of an environment's cloud. */
export const kitOf = <C extends Cloud>(env: EnvironmentOn<C>): CloudKit<C> => CLOUD_KITS[env.cloud as C];
