import { STATEFUL_RESOURCE_TYPES } from '../../../core/stateful';
import type { Rule } from '../../rule';
import { block } from '../../private/terraform-json';

/**
 * Stateful types that go without `prevent_destroy` on purpose, and why: the one list of
 * exceptions to "never destroy by accident" (docs/stacks.md).
 */
export const PREVENT_DESTROY_EXCEPTIONS: Readonly<Record<string, string>> = {
  helm_release: 'add-ons are installed and removed by configuration; their data lives in PVCs and cloud storage, which are protected',
  kubernetes_namespace_v1: "an add-on's namespace goes with the add-on; removing an add-on must stay possible",
  kubernetes_namespace: "an add-on's namespace goes with the add-on; removing an add-on must stay possible",
  aws_eks_node_group: 'node groups are replaced on instance type or AMI changes; they hold no data',
  azurerm_kubernetes_cluster_node_pool: 'node pools are replaced on VM size changes; they hold no data',
  google_container_node_pool: 'node pools are replaced on machine type changes; they hold no data',
};

/**
 * IDP-TF-004: in prod, every resource that holds data (databases, buckets, clusters, keys,
 * volumes, registries, secret stores, DNS zones: `idpkit diff`'s stateful types) carries
 * `lifecycle.prevent_destroy`, so neither `terraform destroy` nor a replacing change can delete it.
 */
export const preventDestroyRule: Rule = {
  id: 'IDP-TF-004',
  severity: { dev: 'off', staging: 'off', prod: 'error' },
  summary: 'Prod resource that holds data carries lifecycle.prevent_destroy',
  fix: 'Add lifecycle { prevent_destroy = true } (cdktf: lifecycle: { preventDestroy: true }; idpkit constructs do in prod). To delete it on purpose, remove the flag in its own reviewed change first.',
  appliesTo: Object.keys(STATEFUL_RESOURCE_TYPES).filter((type) => !PREVENT_DESTROY_EXCEPTIONS[type]),
  check(resource) {
    return block(resource.lifecycle)?.prevent_destroy === true ? 'compliant' : 'non-compliant';
  },
};
