/**
 * Config schemas of the add-ons of stacks/platform/orchestration.ts, under `platform.addons.<key>`
 * of an environment: data of the add-on catalog (constructs/addons/catalog.ts).
 */
import { z } from 'zod';
import { crossplaneProviderProblems } from '../orchestration/crossplane/providers';
import { addonConfigSchema } from './config';
import { crossplaneDatabasesSchema } from './databases';

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

/** The schema of `platform.addons.argocd`. */
export const argoCdSchema = addonConfigSchema({
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

/** The schema of `platform.addons.kyverno`. */
export const kyvernoConfigSchema = addonConfigSchema({
  /** Reject or only report violations. @default "Enforce" in the prod tier, "Audit" otherwise */
  validationFailureAction: z.enum(['Enforce', 'Audit'], { error: 'is not a validation failure action (allowed: Enforce, Audit)' }).optional(),
  /** Pod Security Standards profile. @default "restricted" */
  podSecurityStandard: z.enum(['baseline', 'restricted'], { error: 'is not a Pod Security Standards profile (allowed: baseline, restricted)' }).optional(),
  /** Namespaces the policies skip besides kube-system and non-restricted add-on namespaces. @default [] */
  excludeNamespaces: z.array(z.string().regex(DNS_1123_LABEL, 'is not a namespace name')).optional(),
});
/** The config of `platform.addons.kyverno`. */
export type KyvernoConfig = z.infer<typeof kyvernoConfigSchema>;

/** The schema of `platform.addons.gatekeeper`. */
export const gatekeeperConfigSchema = addonConfigSchema({});
/** The config of `platform.addons.gatekeeper`. */
export type GatekeeperConfig = z.infer<typeof gatekeeperConfigSchema>;

/** The schema of `platform.addons.crossplane`. */
export const crossplaneConfigSchema = addonConfigSchema({
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
});
/** The config of `platform.addons.crossplane`. */
export type CrossplaneConfig = z.infer<typeof crossplaneConfigSchema>;

/** The schema of `platform.addons.tekton`. */
export const tektonConfigSchema = addonConfigSchema({});
/** The config of `platform.addons.tekton`. */
export type TektonConfig = z.infer<typeof tektonConfigSchema>;
