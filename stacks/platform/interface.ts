import { IdpkitError } from '../../constructs/core/errors';
import {
  BACKSTAGE_DATABASE_DEFAULTS,
  BACKSTAGE_NAMESPACE,
  Backstage,
  BackstageCatalogProps,
  BackstageGithubTokenSource,
} from '../../constructs/interface/backstage/backstage';
import type { Environment } from '../../environments/types';
import { AddonDefinition, PlatformContext, defineAddon } from './addon';
import type { BackstageConfig } from '../../constructs/addons/interface';
import { backstageGithubTokenSecretName, catalogOf } from '../../environments/addons';

/** The catalog location of a validated environment (whose validation reported any problem already). */
function catalogOrThrow(env: Environment, config: BackstageConfig): BackstageCatalogProps {
  const catalog = catalogOf(env, config);
  if ('problem' in catalog) throw new IdpkitError('IDPKIT_INVALID_ENVIRONMENT', [`environment "${env.name}": platform.addons.backstage.${catalog.problem.path.join('.')} ${catalog.problem.message}`]);
  return catalog.catalog;
}

/** The GitHub token: the Secret the config names, or synced from the cloud secret manager. */
function githubTokenOf(context: PlatformContext, config: BackstageConfig): BackstageGithubTokenSource {
  const github = config.github;
  return github?.tokenSecretName
    ? { secretName: github.tokenSecretName, secretKey: github.tokenSecretKey }
    : { remoteSecretName: backstageGithubTokenSecretName(context.env), externalSecrets: context.installed.externalSecrets ?? [] };
}

/** Add-ons of the interface layer: the developer portal. */
export const INTERFACE_ADDONS: readonly AddonDefinition[] = [
  defineAddon<BackstageConfig>({
    key: 'backstage',
    description: 'Backstage: the developer portal (software catalog, templates, docs)',
    install: (scope, context, config) => {
      const existingSecret = config.database?.existingSecret;
      const operator = context.installed.cloudnativePg?.[0];
      if (!existingSecret && !operator) {
        throw new IdpkitError('IDPKIT_INVALID_ENVIRONMENT', [
          `environment "${context.env.name}": platform.addons.backstage.database needs platform.addons.cloudnativePg (idpkit runs Backstage's PostgreSQL as the CloudNativePG cluster "${BACKSTAGE_DATABASE_DEFAULTS.name}"): enable it, or set platform.addons.backstage.database.existingSecret to your own Secret in "${BACKSTAGE_NAMESPACE}" with keys host, port, username, password and dbname`,
        ]);
      }
      const backstage = new Backstage(scope, 'backstage', {
        highAvailability: context.highAvailability,
        image: config.image!,
        baseUrl: config.baseUrl!,
        organizationName: config.organizationName!,
        ...(existingSecret ? { databaseSecretName: existingSecret } : { database: { operator: operator!, ...config.database?.cloudnativePg } }),
        extraEnvVarsSecrets: config.extraEnvVarsSecrets,
        ingress: config.ingress,
        catalog: catalogOrThrow(context.env, config),
        githubToken: githubTokenOf(context, config),
        valueOverrides: config.values?.['backstage'],
      });
      return [backstage.addon];
    },
  }),
];
