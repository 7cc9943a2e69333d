import type { AppRule, AppViolation, TerraformJson } from '../../rule';
import { helmReleases, waitsForPods } from '../../private/app';
import { booleanValue, chartName, helmValue } from '../../private/helm-values';

/** A chart whose pods are not Ready until someone acts by hand, unless its values say otherwise. */
interface ManualReadiness {
  /** The step that makes the pods Ready, e.g. `vault operator init`. */
  readonly manualStep: string;
  /** Whether the release's values make its pods Ready before that step. */
  readonly readyBeforeStep: (release: TerraformJson) => boolean;
  /** What to set for that. */
  readonly howToBeReady: string;
}

/** An HTTP status a Kubernetes HTTP probe counts as success (200-399). */
const probeSuccess = (code: string | null): boolean => code !== null && /^\d{3}$/.test(code) && Number(code) >= 200 && Number(code) < 400;

/**
 * Vault's readiness: the chart's default probe runs `vault status`, which fails while Vault is
 * sealed or not initialized; an HTTP probe of /v1/sys/health that maps those states to success
 * (`sealedcode`, `uninitcode`) is Ready from the first start.
 * @see https://developer.hashicorp.com/vault/api-docs/system/health
 */
function vaultReadyUninitialized(release: TerraformJson): boolean {
  if (booleanValue(helmValue(release, 'server.readinessProbe.enabled')) === false) return true;
  const path = helmValue(release, 'server.readinessProbe.path');
  if (typeof path !== 'string') return false;
  const query = new URLSearchParams(path.split('?')[1] ?? '');
  return probeSuccess(query.get('sealedcode')) && probeSuccess(query.get('uninitcode'));
}

/** Charts whose pods wait for a manual step, by chart name. */
const MANUAL_READINESS: Readonly<Record<string, ManualReadiness>> = {
  vault: {
    manualStep: 'vault operator init (and unseal, without auto-unseal)',
    readyBeforeStep: vaultReadyUninitialized,
    howToBeReady: 'server.readinessProbe.path = "/v1/sys/health?standbyok=true&sealedcode=204&uninitcode=204"',
  },
};

/**
 * IDP-APPLY-006: a Helm release Terraform waits for has pods that can become Ready before any
 * manual step. Otherwise the first apply always times out (and, atomic, rolls back), since the
 * manual step can only be taken after the pods run.
 */
export const releaseReadinessRule: AppRule = {
  id: 'IDP-APPLY-006',
  severity: 'error',
  summary: 'Helm releases Terraform waits for have pods that become Ready without a manual step',
  fix: "Make the pods Ready before the manual step (a readiness probe that accepts the not-yet-initialized state), or set wait = false and atomic = false on the release and document the step.",
  appliesTo: 'app',
  checkApp(stacks) {
    const violations: AppViolation[] = [];
    for (const [stack, document] of Object.entries(stacks)) {
      for (const release of helmReleases(document)) {
        const chart = chartName(release.body);
        const readiness = chart !== undefined && Object.hasOwn(MANUAL_READINESS, chart) ? MANUAL_READINESS[chart] : undefined;
        if (!readiness || !waitsForPods(release.body) || readiness.readyBeforeStep(release.body)) continue;
        violations.push({
          stack,
          resource: release.address,
          attribute: 'values',
          problem: `waits for ${chart} pods that are not Ready before ${readiness.manualStep}, so the first apply times out; set ${readiness.howToBeReady}`,
        });
      }
    }
    return violations;
  },
};
