import { writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { renderCheckSarif } from '../constructs/policy/sarif';
import { App, withoutCreationStacks } from '../constructs/core/cdktf';
import { assertNoSecrets } from '../constructs/policy/secrets';
import { Environment, placementOf, stateLocationOf, validateEnvironments } from '../environments/types';
import { CATALOG_ENVIRONMENTS } from '../constructs/interface/catalog/platform';
import { CATALOG_DIRECTORY, writePlatformCatalog } from './catalog';
import { InfraStack } from './infra-stack';
import { PlatformStack } from './platform-stack';
import { openOutput } from './publish';
import { enforcePolicies, POLICY_REPORT_FILE } from './policy';
import { enabledAddons } from './platform/catalog';
import { karpenterLaunchesSpot } from '../environments/addons';
import { StateBootstrapStack } from './state-bootstrap-stack';
import { terraformElementsOf } from './clouds/kit';

/** The stacks of a set of environments. */
export interface PlatformStacks {
  /** `<env>-infra`, by environment name. */
  readonly infra: Readonly<Record<string, InfraStack>>;
  /** `<env>-platform`, by environment name, for environments that enable add-ons. */
  readonly platform: Readonly<Record<string, PlatformStack>>;
  /** `bootstrap-<name>`, one per state bucket or storage account, by its name. */
  readonly stateBootstrap: Readonly<Record<string, StateBootstrapStack>>;
}

/** Options of {@link addPlatformStacks}. */
export interface AddPlatformStacksOptions {
  /**
   * Every environment of the configuration, of which `environments` may be a selection: which
   * bootstrap stack creates an account's shared GitHub provider (and EC2 Spot service-linked
   * role) is decided over all of them, so synthesizing a selection never changes it.
   * @default - the environments given
   */
  readonly allEnvironments?: readonly Environment[];
}

/**
 * The state locations (bucket names) whose bootstrap stack creates its account's shared GitHub
 * OIDC provider (AWS: one per account) or workload identity pool (GCP: one `idpkit-github` per
 * project): per account, the first location, in config order, with an environment that deploys
 * from CI, unless an environment of the account says the provider exists
 * (`ci.github.oidcProviderExists`). Bootstrap stacks of the other locations look it up. Azure has
 * no shared provider.
 */
export function ciProviderCreators(environments: readonly Environment[]): ReadonlySet<string> {
  const ci = environments.filter((env) => env.cloud !== 'azure' && env.ci && stateLocationOf(env));
  const creators = new Map<string, string>();
  for (const env of ci) {
    const account = placementOf(env).account;
    const exists = ci.some((other) => placementOf(other).account === account && other.ci?.github.oidcProviderExists);
    if (!exists && !creators.has(account)) creators.set(account, stateLocationOf(env)!.name);
  }
  return new Set(creators.values());
}

/**
 * The state locations (bucket names) whose bootstrap stack creates its AWS account's EC2 Spot
 * service-linked role (one per account; Karpenter needs it to launch spot): per account, the
 * first location, in config order, with an environment whose Karpenter may launch spot, unless an
 * environment of the account says the role exists (`aws.spotServiceLinkedRoleExists`).
 */
export function spotRoleCreators(environments: readonly Environment[]): ReadonlySet<string> {
  const spot = environments.filter((env) => karpenterLaunchesSpot(env) && stateLocationOf(env));
  const creators = new Map<string, string>();
  for (const env of spot) {
    const account = placementOf(env).account;
    const exists = environments.some((other) => other.cloud === 'aws' && placementOf(other).account === account && other.aws.spotServiceLinkedRoleExists);
    if (!exists && !creators.has(account)) creators.set(account, stateLocationOf(env)!.name);
  }
  return new Set(creators.values());
}

/** Adds the stacks of already-validated environments to an app. */
export function addPlatformStacks(app: App, environments: readonly Environment[], options: AddPlatformStacksOptions = {}): PlatformStacks {
  const buckets = new Map<string, Environment[]>();
  for (const env of environments) {
    const location = stateLocationOf(env);
    if (location) buckets.set(location.name, [...(buckets.get(location.name) ?? []), env]);
  }
  const creators = ciProviderCreators(options.allEnvironments ?? environments);
  const spotRoles = spotRoleCreators(options.allEnvironments ?? environments);
  const infra = Object.fromEntries(environments.map((environment) => [environment.name, new InfraStack(app, { environment })]));
  const platform = Object.fromEntries(
    environments
      .filter((environment) => enabledAddons(environment).length > 0)
      .map((environment) => [environment.name, new PlatformStack(app, { environment, infra: infra[environment.name] })]),
  );
  // Built last: the deploy identities' permissions come from what the environments' stacks hold.
  const deployedElements = (name: string) => terraformElementsOf([infra[name], platform[name]].filter((stack) => stack !== undefined));
  const stateBootstrap = Object.fromEntries(
    [...buckets].map(([bucket, users]) => [
      bucket,
      new StateBootstrapStack(app, { environments: users, ciProviderExists: !creators.has(bucket), spotServiceLinkedRole: spotRoles.has(bucket), deployedElements }),
    ]),
  );
  return { infra, platform, stateBootstrap };
}

/** Options of {@link synthesizePlatform}. */
export interface SynthesizeOptions {
  /** Environment configs, validated together (e.g. `defaultEnvironments`). */
  readonly environments: readonly unknown[];
  /** Names of the environments to synthesize. @default - all of them */
  readonly only?: readonly string[];
  /** Output directory. @default - cdktf's: $CDKTF_OUTDIR or cdktf.out */
  readonly outdir?: string;
}

/**
 * A check over a synthesized directory, run before it replaces the output: throws (an
 * `IdpkitError`) to fail synthesis, in which case the output directory is left as it was.
 */
export type SynthesisCheck = (dir: string, environments: readonly Environment[], outdir: string) => void;

/**
 * The checks every synthesis runs over the temporary directory, in order: the secret scanner,
 * then the policy pack, which also writes its SARIF report ({@link POLICY_REPORT_FILE}). Add new
 * whole-output checks here.
 */
export const SYNTHESIS_CHECKS: readonly SynthesisCheck[] = [
  (dir) => assertNoSecrets(dir),
  (dir, environments, outdir) => {
    const report = enforcePolicies(dir, environments);
    const sarif = renderCheckSarif({ dir: relative(process.cwd(), outdir) || '.', findings: report.findings, suppressed: report.suppressed });
    writeFileSync(join(dir, POLICY_REPORT_FILE), sarif);
  },
];

/** cdktf's output directory when none is given. */
const DEFAULT_OUTDIR = 'cdktf.out';

/**
 * Validates every environment, builds the selected ones' stacks and publishes them all or
 * nothing ({@link openOutput}): the app synthesizes into a new generation inside the output
 * directory, the Backstage catalog of the platform is written beside the stacks (`catalog/`,
 * read from them: {@link writePlatformCatalog}), {@link SYNTHESIS_CHECKS} run over both, and only
 * then does one rename make it the output. Any error, or a kill, leaves the output directory as
 * it was. Files synthesis does not write (local state, `.terraform`, stacks and
 * `catalog/environments/<env>.yaml` of environments not selected) are kept, as cdktf keeps stacks.
 */
export function synthesizePlatform(options: SynthesizeOptions): PlatformStacks {
  const all = validateEnvironments(options.environments);
  const selected = options.only ? all.filter((env) => options.only!.includes(env.name)) : all;
  const output = openOutput(options.outdir ?? process.env.CDKTF_OUTDIR ?? DEFAULT_OUTDIR, { mergedDirectories: isMergedOutputDirectory });
  try {
    const app = new App({ outdir: output.staging });
    const stacks = withoutCreationStacks(() => {
      const built = addPlatformStacks(app, selected, { allEnvironments: all });
      app.synth();
      return built;
    });
    writePlatformCatalog(output.staging, { environments: all, synthesized: selected.map((env) => env.name) });
    for (const check of SYNTHESIS_CHECKS) check(output.staging, selected, output.outdir);
    output.publish();
    return stacks;
  } finally {
    output.close();
  }
}

/**
 * The directories of a synthesized output whose entries a synth replaces one by one, keeping
 * those it did not write: the top, `stacks/` and each stack's directory (local state,
 * `.terraform`, other environments' stacks), `catalog/` and `catalog/environments/` (other
 * environments' entities). Any other entry (`cdk.tf.json`, `assets/`, `catalog/all.yaml`) is
 * replaced whole.
 */
export function isMergedOutputDirectory(path: string): boolean {
  const parts = path === '' ? [] : path.split('/');
  return parts.length === 0 || (parts[0] === 'stacks' && parts.length <= 2) || (parts[0] === CATALOG_DIRECTORY && (parts.length === 1 || (parts.length === 2 && parts[1] === CATALOG_ENVIRONMENTS)));
}
