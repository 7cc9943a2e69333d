import { z } from 'zod';
import { ISTIO_INGRESS_NAMESPACE } from '../../constructs/capabilities/mesh/istio';
import { IdpkitError } from '../../constructs/core/errors';
import {
  DEFAULT_TENANCY_MODE,
  TENANCY_MODES,
  Tenancy,
  TenancyProps,
  adminGroupProblem,
  costCenterProblem,
  cpuQuotaProblem,
  memoryQuotaProblem,
  podsQuotaProblem,
  teamNameProblem,
  tenancyProblems,
} from '../../constructs/orchestration/tenancy/tenancy';
import { AddonDefinition, PlatformContext, addonConfigSchema, defineAddon } from './addon';

/** A string checked by one of the tenancy construct's rules (the same messages there and here). */
const checked = (problem: (value: string) => string | undefined) =>
  z.string({ error: 'is not a string' }).superRefine((value, ctx) => {
    const message = problem(value);
    if (message) ctx.addIssue({ code: 'custom', message });
  });

const teamSchema = z.strictObject({
  /** Team name: a DNS label, and its namespace's name. */
  name: checked(teamNameProblem),
  /** The group bound to `admin` in the namespace (Kubernetes group, Entra ID object id, Google Group e-mail). */
  adminGroup: checked(adminGroupProblem),
  /** The namespace's `cost-center` label. @default - the environment's costCenter in multi-tenant mode, none in teams mode */
  costCenter: checked(costCenterProblem).optional(),
  /** The namespace's ResourceQuota; fields left out take the tier's default. @default - none in teams mode, the tier's default in multi-tenant mode */
  quota: z
    .strictObject({
      /** CPU requests, in cores or millicores. */
      cpu: checked(cpuQuotaProblem).optional(),
      /** Memory requests and limits, with a unit. */
      memory: checked(memoryQuotaProblem).optional(),
      /** Pods. */
      pods: z.number({ error: 'is not a number' }).superRefine((value, ctx) => {
        const message = podsQuotaProblem(value);
        if (message) ctx.addIssue({ code: 'custom', message });
      }).optional(),
    })
    .optional(),
});

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
  defineAddon({
    key: 'tenancy',
    description: 'Tenancy: a namespace per team with admin RBAC (teams), or per tenant with quotas, default-deny network policies and cost labels (multi-tenant)',
    configSchema: addonConfigSchema({
      /** `teams` (namespace and RBAC per team) or `multi-tenant` (plus quotas, network isolation, cost labels). @default "teams" */
      mode: z.enum(TENANCY_MODES, { error: `is not a tenancy mode (allowed: ${TENANCY_MODES.join(', ')})` }).optional(),
      /** The teams, one namespace each. @default [] */
      teams: z.array(teamSchema, { error: 'is not a list of teams ({ name, adminGroup, costCenter?, quota? })' }).optional(),
    }).superRefine((config, ctx) => {
      if (config.values !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['values'], message: 'has no effect: tenancy installs no chart (set mode and teams instead)' });
      }
      const first = new Map<string, number>();
      (config.teams ?? []).forEach((team, i) => {
        const earlier = first.get(team.name);
        if (earlier === undefined) first.set(team.name, i);
        else ctx.addIssue({ code: 'custom', path: ['teams', i, 'name'], message: `is also the name of teams[${earlier}] (team names are namespace names: make them unique)` });
      });
    }),
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
