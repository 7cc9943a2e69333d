import { CertManager } from '../../constructs/capabilities/tls/cert-manager';
import { z } from 'zod';
import { AddonDefinition, addonConfigSchema, defineAddon } from './addon';

/** Add-ons of the capabilities layer: TLS, secrets, observability, cost, security, networking, mesh, CI/CD. */
export const CAPABILITY_ADDONS: readonly AddonDefinition[] = [
  defineAddon({
    key: 'certManager',
    description: 'cert-manager: X.509 certificates for ingress and workloads',
    configSchema: addonConfigSchema({
      /** Let's Encrypt ClusterIssuer `letsencrypt`. @default - only the `selfsigned` issuer */
      acme: z
        .strictObject({
          email: z.email({ error: 'is not an e-mail address' }),
          ingressClassName: z.string().min(1, 'is empty (name the ingress class that serves HTTP-01 challenges)'),
          server: z.enum(['production', 'staging'], { error: 'is not an ACME server (allowed: production, staging)' }).optional(),
        })
        .optional(),
    }),
    install: (scope, context, config) => [
      new CertManager(scope, 'cert-manager', {
        highAvailability: context.highAvailability,
        acme: config.acme,
        valueOverrides: config.values?.['cert-manager'],
      }).addon,
    ],
  }),
];
