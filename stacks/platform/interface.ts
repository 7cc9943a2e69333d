import { z } from 'zod';
import { Backstage } from '../../constructs/interface/backstage/backstage';
import { AddonDefinition, addonConfigSchema, defineAddon } from './addon';

const DNS_1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const secretName = z
  .string()
  .max(253, 'is longer than 253 characters')
  .regex(DNS_1123_SUBDOMAIN, 'is not a Secret name (lowercase letters, digits, "-" and ".")');

/** Fields of the backstage config an enabled portal needs, with an example each (the schema checks them). */
const REQUIRED_WHEN_ENABLED = {
  image: '{ registry: "ghcr.io", repository: "acme/backstage", tag: "1.4.2" }',
  baseUrl: '"https://portal.example.com"',
  organizationName: '"Acme"',
  database: '{ existingSecret: "backstage-db-app" }',
} as const;

/** Add-ons of the interface layer: the developer portal. */
export const INTERFACE_ADDONS: readonly AddonDefinition[] = [
  defineAddon({
    key: 'backstage',
    description: 'Backstage: the developer portal (software catalog, templates, docs)',
    configSchema: addonConfigSchema({
      /** The organisation's Backstage image; required when enabled. */
      image: z.strictObject({
        /** Registry host. */
        registry: z.string().regex(/^[a-z0-9.-]+(:\d+)?$/, 'is not a registry host (e.g. ghcr.io or 111111111111.dkr.ecr.eu-west-1.amazonaws.com)'),
        /** Repository in the registry. */
        repository: z.string().regex(/^[a-z0-9]+([._-][a-z0-9]+)*(\/[a-z0-9]+([._-][a-z0-9]+)*)*$/, 'is not an image repository (e.g. platform/backstage)'),
        /** Immutable tag; `latest` is refused. */
        tag: z
          .string()
          .regex(/^[\w][\w.-]{0,127}$/, 'is not an image tag')
          .refine((tag) => tag !== 'latest', 'is mutable; pin a version or commit tag so every replica runs the same build'),
      }).optional(),
      /** URL of the portal; required when enabled. */
      baseUrl: z.url({ protocol: /^https?$/, error: 'is not an http(s) URL (e.g. https://portal.example.com)' }).optional(),
      /** Organisation name shown in the portal; required when enabled. */
      organizationName: z.string().min(1, 'is empty (name the organisation)').optional(),
      /** The PostgreSQL connection; required when enabled. */
      database: z
        .strictObject({
          /** Existing Secret with keys host, port, username, password. */
          existingSecret: secretName,
        })
        .optional(),
      /** Existing Secrets exposed to the backend as environment variables. @default [] */
      extraEnvVarsSecrets: z.array(secretName).optional(),
      /** An Ingress for the host of baseUrl. @default - none */
      ingress: z
        .strictObject({
          className: z.string().min(1, 'is empty (name the ingress class)'),
          clusterIssuer: z.string().min(1, 'is empty (name a ClusterIssuer, or leave it out)').optional(),
        })
        .optional(),
    }).superRefine((config, ctx) => {
      if (!config.enabled) return;
      for (const [field, example] of Object.entries(REQUIRED_WHEN_ENABLED)) {
        if (config[field as keyof typeof REQUIRED_WHEN_ENABLED] === undefined) {
          ctx.addIssue({ code: 'custom', path: [field], message: `is required when backstage is enabled (e.g. ${example})` });
        }
      }
    }),
    install: (scope, context, config) => [
      new Backstage(scope, 'backstage', {
        highAvailability: context.highAvailability,
        image: config.image!,
        baseUrl: config.baseUrl!,
        organizationName: config.organizationName!,
        databaseSecretName: config.database!.existingSecret,
        extraEnvVarsSecrets: config.extraEnvVarsSecrets,
        ingress: config.ingress,
        valueOverrides: config.values?.['backstage'],
      }).addon,
    ],
  }),
];
