import { z } from 'zod';
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
import { AddonDefinition, AddonResources, PlatformContext, addonConfigSchema, defineAddon, enabledConfigOf, resourceGroupOf } from './addon';
import { secretsPrefix } from './secrets';
import { CrossplaneDatabasesConfig, claimedDatabasesNeedNetwork, crossplaneDatabasesSchema, databaseProviderOf, installCrossplaneDatabases } from './databases';

const DNS_1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

const secretName = z
  .string()
  .max(253, 'is longer than 253 characters')
  .regex(DNS_1123_SUBDOMAIN, 'is not a Secret name (lowercase letters, digits, "-" and ".")');
const secretKey = z.string().regex(/^[-._a-zA-Z0-9]{1,253}$/, 'is not a Secret key (letters, digits, "-", "_" and ".")');
const hostname = z
  .string()
  .max(253, 'is longer than 253 characters')
  .regex(DNS_1123_SUBDOMAIN, 'is not a host name (e.g. argocd.example.com)');
const ingressSchema = z.strictObject({
  /** Ingress class that serves it. */
  className: z.string().min(1, 'is empty (name the ingress class)'),
  /** cert-manager ClusterIssuer of its certificate. @default - none */
  clusterIssuer: z.string().min(1, 'is empty (name a ClusterIssuer, or leave it out)').optional(),
});
const secretReference = (what: string) =>
  z.strictObject(
    {
      /** Secret name. */
      secretName,
      /** Key in the Secret. */
      key: secretKey,
    },
    { error: `is not a reference to ${what} ({ secretName, key }); put the secret in a Kubernetes Secret, never in an environment` },
  );

/**
 * Namespaces of installed add-ons whose Pod Security level is not `restricted`: the namespace's
 * own label already bounds them, and a restricted policy would reject their pods.
 */
function relaxedNamespaces(installed: Readonly<Record<string, readonly HelmAddon[]>>): string[] {
  const addons = Object.values(installed).flat();
  return [...new Set(addons.filter((addon) => addon.podSecurity !== 'restricted').map((addon) => addon.namespace))];
}

const argoCdSchema = addonConfigSchema({
    /** The GitOps repository; required when enabled. */
    gitops: z
      .strictObject({
        /** Repository URL (https:// or ssh). */
        repoUrl: z.string().regex(/^(https:\/\/|ssh:\/\/|git@)\S+$/, 'is not a Git repository URL (https://..., ssh://... or git@host:org/repo.git)'),
        /** Directory of the environment's Applications. @default "environments/<env>" */
        path: z.string().min(1, 'is empty (name a directory, or leave it out)').optional(),
        /** Branch, tag or commit. @default "HEAD" */
        revision: z.string().min(1, 'is empty (name a branch, tag or commit, or leave it out)').optional(),
      })
      .optional(),
    /** Host name Argo CD is reached at; required with `oidc` or `ingress`. @default - none */
    hostname: hostname.optional(),
    /** An Ingress that terminates TLS in front of the API server. @default - none */
    ingress: ingressSchema.optional(),
    /** OIDC single sign-on; turns the local admin user off. @default - none */
    oidc: z
      .strictObject({
        /** Login button label. @default "SSO" */
        name: z.string().min(1).optional(),
        /** Issuer URL. */
        issuer: z.url({ protocol: /^https$/, error: 'is not an https URL' }),
        /** OAuth client id (not secret). */
        clientId: z.string().min(1, 'is empty (give the OAuth client id)'),
        /** The client secret's Secret (labelled app.kubernetes.io/part-of: argocd) and key. */
        clientSecret: secretReference('the OIDC client secret'),
        /** Groups granted role:admin. @default [] */
        adminGroups: z.array(z.string().min(1, 'is empty')).optional(),
      })
      .optional(),
    /** Preview environments per labelled GitHub pull request. @default - none */
    previewEnvironments: z
      .strictObject({
        /** GitHub organisation or user. */
        owner: z.string().regex(/^[A-Za-z0-9](-?[A-Za-z0-9]){0,38}$/, 'is not a GitHub owner name'),
        /** GitHub repository. */
        repo: z.string().regex(/^[A-Za-z0-9._-]{1,100}$/, 'is not a GitHub repository name'),
        /** Pull request label that asks for a preview. @default "preview" */
        label: z.string().min(1, 'is empty (name a label, or leave it out)').optional(),
        /**
         * Existing Secret in the argocd namespace with a GitHub token.
         * @default - synced by External Secrets from the cloud secret manager's `<env>-argocd-preview-token` (a JSON secret with key `token`)
         */
        tokenSecretName: secretName.optional(),
        /** Key of the token in tokenSecretName. @default "token" */
        tokenSecretKey: secretKey.optional(),
        /** Directory of the preview manifests. @default "deploy/preview" */
        path: z.string().min(1, 'is empty (name a directory, or leave it out)').optional(),
      })
      .optional(),
  }).superRefine((config, ctx) => {
    if (config.enabled && !config.gitops) {
      ctx.addIssue({ code: 'custom', path: ['gitops'], message: 'is required when argocd is enabled (give gitops.repoUrl, the repository Argo CD syncs)' });
    }
    if (!config.hostname && (config.oidc || config.ingress)) {
      ctx.addIssue({ code: 'custom', path: ['hostname'], message: `is required with ${config.oidc ? 'oidc' : 'ingress'} (the host name Argo CD is reached at)` });
    }
    if (config.previewEnvironments?.tokenSecretKey && !config.previewEnvironments.tokenSecretName) {
      ctx.addIssue({ code: 'custom', path: ['previewEnvironments', 'tokenSecretKey'], message: 'needs tokenSecretName (the synced token is always under the key "token")' });
    }
  });
/** The config of `platform.addons.argocd`. */
export type ArgoCdConfig = z.infer<typeof argoCdSchema>;

/** The directory of an environment's Applications in the GitOps repository when `gitops.path` is not given. */
export const defaultGitopsPath = (env: Environment): string => `environments/${env.name}`;

/** The cloud secret manager's secret the preview environments' GitHub token is synced from: under the prefix External Secrets reads. */
export const previewTokenSecretName = (env: Environment): string => `${secretsPrefix(env)}argocd-preview-token`;

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
  defineAddon({
    key: 'argocd',
    description: 'Argo CD: GitOps delivery from the environment directory of a Git repository, preview environments per pull request',
    configSchema: argoCdSchema,
    problems: (env, config) =>
      config.previewEnvironments && !config.previewEnvironments.tokenSecretName && enabledConfigOf(env, 'externalSecrets') === undefined
        ? [{ path: ['previewEnvironments', 'tokenSecretName'], message: `is required without platform.addons.externalSecrets (which otherwise syncs the token from ${previewTokenSecretName(env)} in the cloud secret manager)` }]
        : [],
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
  defineAddon({
    key: 'kyverno',
    conflictsWith: ['gatekeeper'],
    description: 'Kyverno: Pod Security Standards as admission policies, enforced in prod and audited elsewhere',
    configSchema: addonConfigSchema({
      /** Reject or only report violations. @default "Enforce" in the prod tier, "Audit" otherwise */
      validationFailureAction: z.enum(['Enforce', 'Audit'], { error: 'is not a validation failure action (allowed: Enforce, Audit)' }).optional(),
      /** Pod Security Standards profile. @default "restricted" */
      podSecurityStandard: z.enum(['baseline', 'restricted'], { error: 'is not a Pod Security Standards profile (allowed: baseline, restricted)' }).optional(),
      /** Namespaces the policies skip besides kube-system and non-restricted add-on namespaces. @default [] */
      excludeNamespaces: z.array(z.string().regex(DNS_1123_LABEL, 'is not a namespace name')).optional(),
    }),
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
  defineAddon({
    key: 'gatekeeper',
    conflictsWith: ['kyverno'],
    description: 'OPA Gatekeeper: admission policies as constraint templates (instead of Kyverno)',
    configSchema: addonConfigSchema({}),
    install: (scope, context, config) => {
      return [new Gatekeeper(scope, 'gatekeeper', { highAvailability: context.highAvailability, valueOverrides: config.values?.['gatekeeper'] }).addon];
    },
  }),
  defineAddon({
    key: 'crossplane',
    description: 'Crossplane: cloud and platform resources as Kubernetes APIs',
    configSchema: addonConfigSchema({
      /**
       * Upbound provider packages of the environment's cloud (a name and verified version of
       * CROSSPLANE_PROVIDER_PACKAGES); the family provider is added. @default [] - no providers
       */
      providers: z
        .array(
          z.strictObject({
            /** Package name, e.g. provider-aws-s3. */
            name: z.string().min(1, 'is empty (name a provider package)'),
            /** Version tag, e.g. v2.7.1. */
            version: z.string().regex(/^v\d+\.\d+\.\d+$/, 'is not a version tag (expected e.g. v2.7.1)'),
          }),
        )
        .optional(),
      /** The PostgreSQLInstance API and its Compositions (see docs/addons-databases.md). @default - none */
      databases: crossplaneDatabasesSchema.optional(),
    }).superRefine((config, ctx) => {
      for (const message of crossplaneProviderProblems('providers', config.providers ?? [])) ctx.addIssue({ code: 'custom', path: ['providers'], message });
    }),
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
  defineAddon({
    key: 'tekton',
    description: 'Tekton: in-cluster CI pipelines through the Tekton operator',
    configSchema: addonConfigSchema({}),
    install: (scope, context, config) => [
      new Tekton(scope, 'tekton', { highAvailability: context.highAvailability, valueOverrides: config.values?.['tekton-operator'] }).addon,
    ],
  }),
];
