import type { Rule } from '../../rule';

/** A Compute Engine zone (`europe-west1-b`), as opposed to a region (`europe-west1`). */
const ZONE = /^[a-z]+-[a-z]+\d+-[a-z]$/;

/**
 * IDP-GCP-013: a prod GKE cluster is regional (its `location` is a region): GKE replicates the
 * control plane over three zones, so upgrades and a zone outage leave the API available. A zonal
 * cluster has one control-plane replica. Off in dev, where a zonal cluster is the cheaper, accepted
 * trade-off. A location given by reference, or left to the provider's default, cannot be judged.
 *
 * @see https://cloud.google.com/kubernetes-engine/docs/concepts/regional-clusters
 */
export const gkeRegionalRule: Rule = {
  id: 'IDP-GCP-013',
  severity: { dev: 'off', staging: 'warning', prod: 'error' },
  summary: 'GKE cluster is regional (control plane replicated over three zones)',
  fix: 'Set location to a region (e.g. "europe-west1"), not a zone (network.availabilityZoneCount = 3); changing it replaces the cluster.',
  appliesTo: ['google_container_cluster'],
  check(cluster) {
    return typeof cluster.location === 'string' && ZONE.test(cluster.location) ? 'non-compliant' : 'compliant';
  },
};
