import { Tekton } from '../../constructs/capabilities/cicd/tekton';
import type { HelmAddon } from '../../constructs/core/helm-addon';
import { IdpkitError } from '../../constructs/core/errors';
import type { WorkloadIdentityRequest } from '../../constructs/integration/identity';
import { CROSSPLANE_NAMESPACE, Crossplane } from '../../constructs/orchestration/crossplane/crossplane';
import {
  CROSSPLANE_BUCKET_PROVIDERS,
  CrossplaneIdentitySource,
  CrossplaneProviderRef,
  crossplaneProviderGrant,
  crossplaneProviderProblems,
  crossplaneProviderServiceAccount,
} from '../../constructs/orchestration/crossplane/providers';
import type { Environment } from '../../environments/types';
import { ArgoCd, PreviewEnvironmentsProps } from '../../constructs/orchestration/gitops/argocd';
import { Gatekeeper } from '../../constructs/orchestration/policy/gatekeeper';
import { Kyverno } from '../../constructs/orchestration/policy/kyverno';
import { AddonDefinition, AddonResources, PlatformContext, defineAddon, resourceGroupOf } from './addon';
import { claimedDatabasesNeedNetwork, databaseProviderOf, installCrossplaneDatabases } from './databases';
import type { CrossplaneDatabasesConfig } from '../../constructs/addons/databases';
import type { ArgoCdConfig, KyvernoConfig, GatekeeperConfig, CrossplaneConfig, TektonConfig } from '../../constructs/addons/orchestration';
import { previewTokenSecretName } from '../../environments/addons';

/**
 * Namespaces of installed add-ons whose Pod Security level is not `restricted`: the namespace's
 * own label already bounds them, and a restricted policy would reject their pods.
 */
function relaxedNamespaces(installed: Readonly<Record<string, readonly HelmAddon[]>>): string[] {
  const addons = Object.values(installed).flat();
  return [...new Set(addons.filter((addon) => addon.podSecurity !== 'restricted').map((addon) => addon.namespace))];
}

/** The directory of an environment's Applications in the GitOps repository when `gitops.path` is not given. */
export const defaultGitopsPath = (env: Environment): string => `environments/${env.name}`;

/** The preview environments' props: the token from the Secret the config names, or synced from the cloud secret manager. */
function previewEnvironmentsOf(context: PlatformContext, config: NonNullable<ArgoCdConfig['previewEnvironments']>): PreviewEnvironmentsProps {
  const { tokenSecretName, tokenSecretKey, ...preview } = config;
  return {
    ...preview,
    token: tokenSecretName
      ? { secretName: tokenSecretName, secretKey: tokenSecretKey }
      : { remoteSecretName: previewTokenSecretName(context.env), externalSecrets: context.installed.externalSecrets ?? [] },
  };
}

/** Prefix of the names of cloud resources Crossplane may write on AWS, and of the buckets it may manage on GCP: `idpkit-<env>-`. */
export const crossplaneNamePrefix = (env: Environment): string => `idpkit-${env.name}-`;

/** The environment's provider list, checked against its cloud. */
function crossplaneProvidersOf(env: Environment, providers: readonly CrossplaneProviderRef[] | undefined, required?: CrossplaneProviderRef): readonly CrossplaneProviderRef[] {
  const listed = providers ?? [];
  const list = required && !listed.some((provider) => provider.name === required.name) ? [...listed, required] : listed;
  const problems = crossplaneProviderProblems(`environment "${env.name}": platform.addons.crossplane.providers`, list, env.cloud);
  if (problems.length > 0) throw new IdpkitError('IDPKIT_INVALID_ENVIRONMENT', problems);
  return list;
}

/** What the `default` ProviderConfig names on the environment's cloud. */
function crossplaneIdentitySource(env: Environment): CrossplaneIdentitySource {
  switch (env.cloud) {
    case 'aws':
      return { cloud: 'aws' };
    case 'azure':
      return { cloud: 'azure', tenantId: env.azure.tenantId, subscriptionId: env.azure.subscriptionId };
    case 'gcp':
      return { cloud: 'gcp', projectId: env.gcp.projectId };
  }
}

/**
 * The providers' workload identity: bound to the one service account every provider of the family
 * runs as (created by the providers' release, not by Crossplane), and scoped so that it never
 * reaches the Terraform state (docs/addons-orchestration.md).
 */
function crossplaneIdentities(
  env: Environment,
  providers: readonly CrossplaneProviderRef[],
  resources: AddonResources,
  databases: CrossplaneDatabasesConfig | undefined,
): readonly WorkloadIdentityRequest[] {
  if (providers.length === 0) return [];
  const namePrefix = crossplaneNamePrefix(env);
  const stateBucket = env.state.backend === 's3' || env.state.backend === 'gcs' ? env.state.bucket : undefined;
  if (stateBucket?.startsWith(namePrefix) && providers.some((provider) => CROSSPLANE_BUCKET_PROVIDERS.includes(provider.name))) {
    throw new IdpkitError('IDPKIT_INVALID_ENVIRONMENT', [
      `environment "${env.name}": state.bucket "${stateBucket}" starts with "${namePrefix}", the prefix of the buckets Crossplane may manage (platform.addons.crossplane.providers): give the state bucket a name outside it, so that no in-cluster identity reaches the state`,
    ]);
  }
  const target = (() => {
    switch (env.cloud) {
      case 'aws':
        return { cloud: 'aws' as const, accountId: env.aws.accountId, region: env.aws.region, namePrefix };
      case 'azure':
        return { cloud: 'azure' as const, resourceGroupId: resourceGroupOf(resources, 'crossplane').id, databaseNetwork: databases?.enabled ? databases.azure : undefined };
      case 'gcp':
        return { cloud: 'gcp' as const, projectId: env.gcp.projectId, namePrefix };
    }
  })();
  return [
    {
      name: 'crossplane',
      namespace: CROSSPLANE_NAMESPACE,
      serviceAccount: crossplaneProviderServiceAccount(env.cloud),
      grants: [crossplaneProviderGrant(target, providers)],
    },
  ];
}

/** Add-ons of the orchestration layer: GitOps, policy, infrastructure orchestration; and Tekton pipelines. */
export const ORCHESTRATION_ADDONS: readonly AddonDefinition[] = [
  defineAddon<ArgoCdConfig>({
    key: 'argocd',
    description: 'Argo CD: GitOps delivery from the environment directory of a Git repository, preview environments per pull request',
    install: (scope, context, config) => {
      const argocd = new ArgoCd(scope, 'argocd', {
        highAvailability: context.highAvailability,
        hostname: config.hostname,
        ingress: config.ingress,
        oidc: config.oidc,
        gitops: config.gitops && {
          repoUrl: config.gitops.repoUrl,
          path: config.gitops.path ?? defaultGitopsPath(context.env),
          revision: config.gitops.revision,
        },
        previewEnvironments: config.previewEnvironments && previewEnvironmentsOf(context, config.previewEnvironments),
        valueOverrides: config.values?.['argo-cd'],
      });
      return [argocd.addon];
    },
  }),
  defineAddon<KyvernoConfig>({
    key: 'kyverno',
    description: 'Kyverno: Pod Security Standards as admission policies, enforced in prod and audited elsewhere',
    install: (scope, context, config) => {
      const kyverno = new Kyverno(scope, 'kyverno', {
        highAvailability: context.highAvailability,
        validationFailureAction: config.validationFailureAction ?? (context.env.tier === 'prod' ? 'Enforce' : 'Audit'),
        podSecurityStandard: config.podSecurityStandard,
        excludeNamespaces: [...relaxedNamespaces(context.installed), ...(config.excludeNamespaces ?? [])],
        valueOverrides: config.values?.['kyverno'],
        policiesValueOverrides: config.values?.['kyverno-policies'],
      });
      return [kyverno.addon, kyverno.policies];
    },
  }),
  defineAddon<GatekeeperConfig>({
    key: 'gatekeeper',
    description: 'OPA Gatekeeper: admission policies as constraint templates (instead of Kyverno)',
    install: (scope, context, config) => {
      return [new Gatekeeper(scope, 'gatekeeper', { highAvailability: context.highAvailability, valueOverrides: config.values?.['gatekeeper'] }).addon];
    },
  }),
  defineAddon<CrossplaneConfig>({
    key: 'crossplane',
    description: 'Crossplane: cloud and platform resources as Kubernetes APIs',
    infra: (scope, env, config, build) => ({
      ...(claimedDatabasesNeedNetwork(env, config.databases) ? { databaseNetwork: build.databaseNetwork(scope) } : {}),
      // Azure: the providers' role and the claimed resources target a resource group of their own, by reference.
      resourceGroup: build.claimsResourceGroup?.(),
    }),
    identities: (env, config, resources) =>
      crossplaneIdentities(env, crossplaneProvidersOf(env, config.providers, databaseProviderOf(env, config.databases, resources)), resources, config.databases),
    install: (scope, context, config) => {
      const packages = crossplaneProvidersOf(context.env, config.providers, databaseProviderOf(context.env, config.databases, context.resources));
      const providers = packages.length > 0 ? { packages, identity: context.identities.crossplane, identitySource: crossplaneIdentitySource(context.env) } : undefined;
      const crossplane = new Crossplane(scope, 'crossplane', { highAvailability: context.highAvailability, providers, valueOverrides: config.values?.['crossplane'] });
      if (config.databases?.enabled) installCrossplaneDatabases(scope, context, config.databases, crossplane, providers, crossplaneNamePrefix(context.env));
      return [crossplane.addon];
    },
  }),
  defineAddon<TektonConfig>({
    key: 'tekton',
    description: 'Tekton: in-cluster CI pipelines through the Tekton operator',
    install: (scope, context, config) => [
      new Tekton(scope, 'tekton', { highAvailability: context.highAvailability, valueOverrides: config.values?.['tekton-operator'] }).addon,
    ],
  }),
];
