import { CloudSecretStore, EXTERNAL_SECRETS_NAMESPACE, EXTERNAL_SECRETS_SERVICE_ACCOUNT, ExternalSecrets } from '../../constructs/capabilities/secrets/external-secrets';
import type { Environment } from '../../environments/types';
import { AddonDefinition, defineAddon } from './addon';
import type { ExternalSecretsConfig } from '../../constructs/addons/secrets';
import { secretsPrefix } from '../../environments/addons';

/** The name of External Secrets' workload identity request: its cloud identity is `<cluster>-external-secrets`. */
export const EXTERNAL_SECRETS_IDENTITY = 'external-secrets';

/** Where the environment's cloud secret manager is. */
function cloudSecretStore(env: Environment, secretStore: { readonly url: string } | undefined): CloudSecretStore {
  switch (env.cloud) {
    case 'aws':
      return { cloud: 'aws', region: env.aws.region };
    case 'azure':
      return { cloud: 'azure', vaultUrl: secretStore!.url };
    case 'gcp':
      return { cloud: 'gcp', projectId: env.gcp.projectId };
  }
}

/** Add-ons that deliver secrets to workloads. */
export const SECRETS_ADDONS: readonly AddonDefinition[] = [
  defineAddon<ExternalSecretsConfig>({
    key: 'externalSecrets',
    description: "External Secrets Operator: the cloud secret manager's secrets as Kubernetes Secrets",
    identities: (env) => [
      { name: EXTERNAL_SECRETS_IDENTITY, namespace: EXTERNAL_SECRETS_NAMESPACE, serviceAccount: EXTERNAL_SECRETS_SERVICE_ACCOUNT, grants: [{ kind: 'secrets-read', prefix: secretsPrefix(env) }] },
    ],
    install: (scope, context, config) => [
      new ExternalSecrets(scope, 'external-secrets', {
        identity: context.identities['external-secrets'],
        secretStore: cloudSecretStore(context.env, context.secretStore),
        highAvailability: context.highAvailability,
        valueOverrides: config.values?.['external-secrets'],
      }).addon,
    ],
  }),
];
