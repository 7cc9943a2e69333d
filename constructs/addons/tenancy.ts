/**
 * Config schemas of the add-ons of stacks/platform/tenancy.ts, under `platform.addons.<key>`
 * of an environment: data of the add-on catalog (constructs/addons/catalog.ts).
 */
import { z } from 'zod';
import { TENANCY_MODES, adminGroupProblem, costCenterProblem, cpuQuotaProblem, memoryQuotaProblem, podsQuotaProblem, teamNameProblem } from '../orchestration/tenancy/tenancy';
import { addonConfigSchema } from './config';

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

/** The schema of `platform.addons.tenancy`. */
export const tenancyConfigSchema = addonConfigSchema({
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
});
/** The config of `platform.addons.tenancy`. */
export type TenancyConfig = z.infer<typeof tenancyConfigSchema>;
