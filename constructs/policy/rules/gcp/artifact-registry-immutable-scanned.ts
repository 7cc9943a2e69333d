import type { Rule } from '../../rule';
import { block, isReference } from '../../private/terraform-json';

/**
 * IDP-GCP-007: a standard Docker repository in Artifact Registry has immutable tags (a tag, once
 * pushed, always names the same image) and does not turn vulnerability scanning off
 * (`vulnerability_scanning_config.enablement_config`; `INHERITED`, the default, scans when the
 * project has the Container Scanning API on). Other formats, and remote and virtual repositories,
 * are not checked.
 *
 * @see https://cloud.google.com/artifact-registry/docs/docker/manage-images#immutable-tags
 * @see https://cloud.google.com/artifact-analysis/docs/container-scanning-overview
 */
export const artifactRegistryImmutableScannedRule: Rule = {
  id: 'IDP-GCP-007',
  severity: { dev: 'warning', staging: 'error', prod: 'error' },
  summary: 'Artifact Registry Docker repository has immutable tags and vulnerability scanning on',
  fix: 'Set docker_config { immutable_tags = true } and leave vulnerability_scanning_config.enablement_config at "INHERITED" (not "DISABLED"), with containerscanning.googleapis.com enabled.',
  appliesTo: ['google_artifact_registry_repository'],
  check(repository) {
    const format = String(repository.format ?? '');
    const mode = String(repository.mode ?? 'STANDARD_REPOSITORY');
    if (!isReference(format) && format.toUpperCase() !== 'DOCKER') return 'not-applicable'; // the provider ignores the case of format
    if (!isReference(mode) && mode !== 'STANDARD_REPOSITORY') return 'not-applicable';
    const immutable = block(repository.docker_config)?.immutable_tags;
    const scanning = block(repository.vulnerability_scanning_config)?.enablement_config;
    return (immutable === true || isReference(immutable)) && scanning !== 'DISABLED' ? 'compliant' : 'non-compliant';
  },
};
