import { CertManager } from '../../constructs/capabilities/tls/cert-manager';
import { AddonDefinition, addonConfigSchema } from './addon';

/** Add-ons of the capabilities layer: TLS, secrets, observability, cost, security, networking, mesh, CI/CD. */
export const CAPABILITY_ADDONS: readonly AddonDefinition[] = [
  {
    key: 'certManager',
    description: 'cert-manager: X.509 certificates for ingress and workloads',
    configSchema: addonConfigSchema({}),
    install: (scope, context, config) => [
      new CertManager(scope, 'cert-manager', {
        highAvailability: context.highAvailability,
        valueOverrides: config.values?.['cert-manager'],
      }).addon,
    ],
  },
];
