import { ISTIO_INGRESS_NAMESPACE } from '../../constructs/capabilities/mesh/istio';
import { IdpkitError } from '../../constructs/core/errors';
import {
  DEFAULT_TENANCY_MODE,
  Tenancy,
  TenancyProps,
  tenancyProblems,
} from '../../constructs/orchestration/tenancy/tenancy';
import { AddonDefinition, PlatformContext, defineAddon } from './addon';
import type { TenancyConfig } from '../../constructs/addons/tenancy';

/** Add-ons whose namespace may reach into every tenant as its ingress: Istio's gateway (its other namespaces are not ingress). */
const PLATFORM_INGRESS_ADDONS = ['istio'];
/** Add-ons whose namespaces may reach into every tenant to scrape metrics. */
const PLATFORM_MONITORING_ADDONS = ['kubePrometheusStack', 'alloy'];

/** The namespaces of installed add-ons, sorted. */
function namespacesOf(context: PlatformContext, keys: readonly string[]): string[] {
  return [...new Set(keys.flatMap((key) => (context.installed[key] ?? []).map((addon) => addon.namespace)))].sort();
}

/** The tenancy add-on: namespaces per team (medium preset) or per tenant with quotas and network isolation (large preset). */
export const TENANCY_ADDONS: readonly AddonDefinition[] = [
  defineAddon<TenancyConfig>({
    key: 'tenancy',
    description: 'Tenancy: a namespace per team with admin RBAC (teams), or per tenant with quotas, default-deny network policies and cost labels (multi-tenant)',
    install: (scope, context, config) => {
      const env = context.env;
      const mode = config.mode ?? DEFAULT_TENANCY_MODE;
      const props: TenancyProps = {
        cloud: env.cloud,
        tier: env.tier,
        mode,
        teams: config.teams ?? [],
        costCenter: env.costCenter,
        ingressNamespaces: namespacesOf(context, PLATFORM_INGRESS_ADDONS).filter((namespace) => namespace === ISTIO_INGRESS_NAMESPACE),
        monitoringNamespaces: namespacesOf(context, PLATFORM_MONITORING_ADDONS),
      };
      const where = `environment "${env.name}": platform.addons.tenancy`;
      const problems = tenancyProblems(where, props);
      if (problems.length > 0) throw new IdpkitError('IDPKIT_INVALID_ENVIRONMENT', problems);
      new Tenancy(scope, 'tenancy', props);
      return [];
    },
  }),
];
