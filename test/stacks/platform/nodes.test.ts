import { nodeAllocatable } from '../../../constructs/infrastructure/cluster/node-sizes';
import { azureProd, gcpProd, prod, staging } from '../../../environments';
import { validateEnvironments } from '../../../environments/types';
import { largestNode } from '../../../stacks/platform/nodes';
import { clone } from '../../helpers';

const envOf = (config: unknown) => validateEnvironments([config])[0];
const withoutKarpenter = () => {
  const config = clone(staging) as any;
  config.platform.addons.karpenter = { enabled: false };
  return config;
};

describe('largestNode', () => {
  test('is the smallest type of a mixed node group: whichever the group launches, a pod that fits it fits', () => {
    expect(largestNode(envOf(withoutKarpenter()))).toEqual(nodeAllocatable('aws', 'm6i.large'));
  });

  test("counts Karpenter's largest m6i within its CPU limit and the tier's node size limit when Karpenter provisions nodes", () => {
    // staging: nodes of at most 16 vCPUs (TIER_RULES.staging.maxNodeVcpus), which the default NodePool requires
    expect(largestNode(envOf(staging))).toEqual(nodeAllocatable('aws', 'm6i.4xlarge'));
    expect(largestNode(envOf(prod))).toEqual(nodeAllocatable('aws', 'm6i.16xlarge'));
    const limited = clone(staging) as any;
    limited.platform.addons.karpenter.cpuLimit = 10;
    expect(largestNode(envOf(limited))).toEqual(nodeAllocatable('aws', 'm6i.2xlarge'));
    const noPool = clone(staging) as any;
    noPool.platform.addons.karpenter.defaultNodePool = false;
    expect(largestNode(envOf(noPool))).toEqual(nodeAllocatable('aws', 'm6i.large'));
  });

  test('leaves spot pools out (tainted on AKS, reclaimable anywhere) unless every pool is spot', () => {
    expect(largestNode(envOf(azureProd))).toEqual(nodeAllocatable('azure', 'Standard_D4s_v5'));
    expect(largestNode(envOf(gcpProd))).toEqual(nodeAllocatable('gcp', 'e2-standard-4'));
    const allSpot = clone(gcpProd) as any;
    allSpot.cluster.nodeGroups = [allSpot.cluster.nodeGroups[1]];
    expect(largestNode(envOf(allSpot))).toEqual(nodeAllocatable('gcp', 'e2-standard-8'));
  });

  test('is undefined when no machine type is known', () => {
    const config = withoutKarpenter();
    config.cluster.nodeGroups = [{ name: 'general', instanceTypes: ['c7gn.large'], minSize: 1, maxSize: 3 }];
    expect(largestNode(envOf(config))).toBeUndefined();
  });
});
