/**
 * Config schemas of the add-ons of stacks/platform/secrets.ts, under `platform.addons.<key>`
 * of an environment: data of the add-on catalog (constructs/addons/catalog.ts).
 */
import { z } from 'zod';
import { addonConfigSchema } from './config';

/** The schema of `platform.addons.externalSecrets`. */
export const externalSecretsConfigSchema = addonConfigSchema({});
/** The config of `platform.addons.externalSecrets`. */
export type ExternalSecretsConfig = z.infer<typeof externalSecretsConfigSchema>;
