/**
 * `IdpkitApp`: the cdktf App of a product team's own app, with the platform's defaults and
 * guardrails. Its environment's tier reaches every idpkit construct in it, and its synth runs the
 * checks a platform synthesis runs (the secret scanner and the policy packs, with the
 * environment's tier and suppressions) before anything is published.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { App, Manifest } from '../constructs/core/cdktf';
import { IdpkitError, withFileSystemErrors } from '../constructs/core/errors';
import { setTier } from '../constructs/core/tiers';
import { checkSynthesizedOutput } from '../constructs/policy/check';
import { renderCheckSarif } from '../constructs/policy/sarif';
import { assertNoSecrets } from '../constructs/policy/secrets';
import { Environment, EnvironmentConfig, validateEnvironment } from '../environments/types';
import { POLICY_REPORT_FILE, formatFinding } from './policy';
import { openOutput } from './publish';
import { TeamStack } from './team/team-stack';

/** Props of {@link IdpkitApp}. */
export interface IdpkitAppProps {
  /**
   * The platform environment the app deploys into: its config (e.g. the JSON the platform team
   * shares, read with `loadEnvironmentFile`) or a validated environment; validated here, with the
   * errors of the environment schema (`IDPKIT_INVALID_ENVIRONMENT`).
   */
  readonly environment: EnvironmentConfig | Environment;
  /** Where the environment came from (a file), named in messages. @default - none */
  readonly source?: string;
  /** Output directory. @default - $CDKTF_OUTDIR, else cdktf.out */
  readonly outdir?: string;
  /** Where policy warnings are printed. @default - standard error */
  readonly warn?: (text: string) => void;
}

/** The output directory when neither `outdir` nor $CDKTF_OUTDIR gives one: cdktf's. */
const DEFAULT_OUTDIR = 'cdktf.out';

/** The field of an environment that holds its policy suppressions, named in errors about them. */
const SUPPRESSIONS_FIELD = 'policy.suppressions';

/**
 * A cdktf App for a team's own stacks in one platform environment, with the defaults and
 * guardrails of the platform's own stacks:
 *
 * - **Tier**: it sets the environment's tier on the construct tree (`idpkit:tier`), so every
 *   idpkit construct in it takes that tier's defaults (`TIER_RULES`) for what its props
 *   leave out (a bucket in dev may be destroyed with its objects; in prod it refuses `destroy`).
 *   Props given win, and a stack may set another tier for itself (`setTier`).
 * - **Guardrails**: `synth()` writes the stacks into a new generation of the output directory and
 *   runs over it the secret scanner (`IDPKIT_SECRET_IN_OUTPUT`) and every policy rule pack with
 *   the environment's tier and its `policy.suppressions`: the findings `idpkit check --tier <tier>`
 *   reports for the same output. An error finding fails the synth with an IdpkitError
 *   `IDPKIT_POLICY` listing each as `stack: RULE resource: message (fix: ...)`; warnings are
 *   printed. The SARIF report ({@link POLICY_REPORT_FILE}) is written beside the stacks.
 * - **Publishing**: all or nothing, as the platform's synthesis (stacks/publish.ts): a failed
 *   check, or any error, leaves the output directory as it was.
 *
 * A {@link TeamStack} in it must be for its environment (one IdpkitApp per environment).
 *
 * @see docs/team-stacks.md
 * @example
 * const environment = loadEnvironmentFile('environments/dev.json');
 * const app = new IdpkitApp({ environment });
 * new TeamStack(app, { config: { team: 'payments', owner: 'payments-team', environment, members: { admin: 'payments-admins' } } });
 * app.synth();
 */
export class IdpkitApp extends App {
  /** The validated environment: its tier is the app's, its suppressions apply at synth. */
  readonly environment: Environment;
  private readonly warn: (text: string) => void;

  constructor(props: IdpkitAppProps) {
    const environment = validateEnvironment(props.environment, props.source);
    // cdktf's App creates its output directory and `stacks/` at once; the real output is written
    // only at synth, into a new generation, so it gets a directory of its own that goes right away.
    const placeholder = mkdtempSync(join(tmpdir(), 'idpkit-app-'));
    super({ outdir: placeholder });
    rmSync(placeholder, { recursive: true, force: true });
    this.writable.outdir = resolve(props.outdir ?? process.env.CDKTF_OUTDIR ?? DEFAULT_OUTDIR);
    this.environment = environment;
    this.warn = props.warn ?? ((text) => process.stderr.write(text));
    setTier(this, environment.tier);
  }

  /**
   * Synthesizes every stack into a new generation of the output directory, runs the secret
   * scanner and the policy packs over it and publishes it; on any error the output directory is
   * left as it was, and the error (an IdpkitError for what a user can fix) is thrown.
   */
  override synth(): void {
    this.checkTeamStacks();
    const outdir = this.outdir;
    const output = openOutput(outdir);
    try {
      this.writable.outdir = output.staging;
      this.writable.manifest = new Manifest(this.manifest.version, output.staging, false);
      super.synth();
      assertNoSecrets(output.staging);
      this.enforcePolicies(output.staging, outdir);
      output.publish();
    } finally {
      this.writable.outdir = outdir;
      output.close();
    }
  }

  /** cdktf's App fields that synth points at the staging generation. */
  private get writable(): { outdir: string; manifest: Manifest } {
    return this as unknown as { outdir: string; manifest: Manifest };
  }

  /** Refuses team stacks of another environment: the app's tier and suppressions would not be theirs. */
  private checkTeamStacks(): void {
    const env = this.environment;
    const problems = this.node
      .findAll()
      .filter((construct): construct is TeamStack => construct instanceof TeamStack && construct.team.environment.name !== env.name)
      .map(
        (stack) =>
          `${stack.node.id}: is a team stack of environment "${stack.team.environment.name}", in the IdpkitApp of environment "${env.name}" (whose tier and policy suppressions apply at synth): make one IdpkitApp per environment`,
      );
    if (problems.length > 0) throw new IdpkitError('IDPKIT_INVALID_TEAM', problems);
  }

  /**
   * What `idpkit check --tier <tier>` finds in `dir`, with the environment's suppressions: throws
   * IDPKIT_POLICY on error findings, prints warnings, writes the SARIF report into `dir`.
   */
  private enforcePolicies(dir: string, outdir: string): void {
    const env = this.environment;
    const report = checkSynthesizedOutput(dir, {
      tier: env.tier,
      suppressions: env.policy?.suppressions,
      suppressionsSource: `environment "${env.name}"`,
      suppressionsField: SUPPRESSIONS_FIELD,
    });
    const errors = report.findings.filter((finding) => finding.severity === 'error');
    if (errors.length > 0) throw new IdpkitError('IDPKIT_POLICY', errors.map(formatFinding));
    for (const warning of report.findings) this.warn(`idpkit: warning: ${formatFinding(warning)}\n`);
    const sarif = renderCheckSarif({ ...report, dir: relative(process.cwd(), outdir) || '.' });
    withFileSystemErrors('write', join(dir, POLICY_REPORT_FILE), () => writeFileSync(join(dir, POLICY_REPORT_FILE), sarif));
  }
}
