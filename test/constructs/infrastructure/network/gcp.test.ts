import { GcpNetwork, GcpNetworkProps, gkeSubnetRanges } from '../../../../constructs/infrastructure/network/gcp';
import { cidrsOverlap, parseCidr } from '../../../../constructs/core/cidr';
import { addressOf, at, gcpTestStack, ref } from '../../../gcp-helpers';
import { onlyResource, resources } from '../../../helpers';

const base: GcpNetworkProps = { name: 'prod', cidr: '10.51.0.0/16', region: 'europe-west1' };
const synth = (props: Partial<GcpNetworkProps> = {}) => gcpTestStack((stack) => new GcpNetwork(stack, 'network', { ...base, ...props }));

describe('GcpNetwork', () => {
  const json = synth();
  const vpc = addressOf(json, 'google_compute_network');

  test('is a custom-mode VPC with regional routing, created after the Compute API is enabled', () => {
    expect(at(json, vpc)).toMatchObject({ name: 'prod', auto_create_subnetworks: false, routing_mode: 'REGIONAL' });
    expect(at(json, vpc).depends_on).toEqual([expect.stringMatching(/google_project_service\.project-services_compute_/)]);
  });

  test('has one node subnet with pod and service secondary ranges carved from the CIDR', () => {
    expect(onlyResource(json, 'google_compute_subnetwork')).toMatchObject({
      name: 'prod-nodes',
      region: 'europe-west1',
      network: ref(vpc, 'id'),
      ip_cidr_range: '10.51.128.0/20',
      secondary_ip_range: [
        { range_name: 'prod-pods', ip_cidr_range: '10.51.0.0/17' },
        { range_name: 'prod-services', ip_cidr_range: '10.51.144.0/20' },
      ],
    });
  });

  test('keeps traffic to Google APIs private and logs flows with metadata', () => {
    expect(onlyResource(json, 'google_compute_subnetwork')).toMatchObject({
      private_ip_google_access: true,
      log_config: { aggregation_interval: 'INTERVAL_1_MIN', flow_sampling: 0.5, metadata: 'INCLUDE_ALL_METADATA' },
    });
  });

  test('gives private nodes egress through Cloud NAT on a Cloud Router, logging errors only', () => {
    const router = addressOf(json, 'google_compute_router');
    expect(at(json, router)).toMatchObject({ network: ref(vpc, 'id'), region: 'europe-west1' });
    expect(onlyResource(json, 'google_compute_router_nat')).toMatchObject({
      router: ref(router, 'name'),
      region: 'europe-west1',
      nat_ip_allocate_option: 'AUTO_ONLY',
      source_subnetwork_ip_ranges_to_nat: 'ALL_SUBNETWORKS_ALL_IP_RANGES',
      log_config: { enable: true, filter: 'ERRORS_ONLY' },
    });
  });

  test('opens nothing: no firewall rules besides those GKE manages', () => {
    expect(resources(json, 'google_compute_firewall')).toHaveLength(0);
  });

  test.each([
    ['10.50.0.0/16', { nodes: '10.50.128.0/20', pods: '10.50.0.0/17', services: '10.50.144.0/20' }],
    ['10.60.0.0/20', { nodes: '10.60.8.0/24', pods: '10.60.0.0/21', services: '10.60.9.0/24' }],
  ])('lays out %s deterministically, ranges inside it and not overlapping', (cidr, expected) => {
    const ranges = gkeSubnetRanges(cidr);
    expect(ranges).toEqual(expected);
    const blocks = Object.values(ranges).map((range) => parseCidr(range)!);
    blocks.forEach((block, i) => {
      expect(cidrsOverlap(block, parseCidr(cidr)!)).toBe(true);
      blocks.slice(i + 1).forEach((other) => expect(cidrsOverlap(block, other)).toBe(false));
    });
  });

  test.each([
    ['throws when the CIDR is larger than /16', { cidr: '10.0.0.0/8' }, 'cidr "10.0.0.0/8" is not an IPv4 CIDR of /16 to /20'],
    ['throws when the name is not a GCP resource name', { name: '1prod' }, 'name "1prod" is not a GCP resource name prefix'],
    ['throws when flow log sampling is above 1', { flowLogSampling: 2 }, 'flowLogSampling 2 is outside 0 to 1'],
  ])('%s', (_name, props, message) => {
    expect(() => synth(props)).toThrow(message);
  });
});
