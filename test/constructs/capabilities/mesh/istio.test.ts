import { parse } from 'yaml';
import { Istio, IstioProps } from '../../../../constructs/capabilities/mesh/istio';
import { CHARTS } from '../../../../constructs/core/charts';
import { HelmAddon } from '../../../../constructs/core/helm-addon';
import { resources, synthJson } from '../../../helpers';
import { helmStack } from '../../../helm-helpers';


/** The top-level keys the gateway chart's strict schema (1.30.3) accepts that idpkit may set. */
const GATEWAY_KEYS = ['autoscaling', 'replicaCount', 'podDisruptionBudget', 'service', 'annotations', 'labels', 'resources'];

function synth(props: IstioProps = {}) {
  const stack = helmStack();
  new Istio(stack, 'istio', props);
  const json = synthJson(stack);
  const entries = Object.entries(json.resource.helm_release) as [string, any][];
  const byName = (name: string) => entries.find(([, r]) => r.name === name);
  const values = (name: string) => parse(byName(name)![1].values[0]);
  return { json, entries, byName, values };
}

describe('Istio', () => {
  const prod = synth({ highAvailability: true });
  const dev = synth({ highAvailability: false });

  test('installs base, the CNI node agent, istiod and the gateway from their pinned charts', () => {
    expect(prod.byName('istio-base')![1]).toMatchObject({ ...CHARTS.istioBase, namespace: expect.stringContaining('kubernetes_namespace_v1') });
    expect(prod.byName('istio-cni')![1]).toMatchObject(CHARTS.istioCni);
    expect(prod.byName('istiod')![1]).toMatchObject(CHARTS.istiod);
    expect(prod.byName('istio-ingress')![1]).toMatchObject(CHARTS.istioGateway);
  });

  test('installs in order: base, then the CNI node agent, then istiod, then the gateway and the mesh policy', () => {
    const [baseAddress] = prod.byName('istio-base')!;
    const [cniAddress, cni] = prod.byName('istio-cni')!;
    const [istiodAddress, istiod] = prod.byName('istiod')!;
    expect(prod.byName('istio-base')![1].depends_on).toEqual([]);
    expect(cni.depends_on).toEqual([`helm_release.${baseAddress}`]);
    expect(istiod.depends_on).toEqual([`helm_release.${baseAddress}`, `helm_release.${cniAddress}`]);
    expect(prod.byName('istio-ingress')![1].depends_on).toEqual([`helm_release.${istiodAddress}`]);
    expect(prod.byName('istio-mesh-policy')![1].depends_on).toEqual([`helm_release.${istiodAddress}`]);
  });

  test('enforces restricted Pod Security in istio-system, baseline in istio-ingress and privileged only for the CNI node agent', () => {
    const levels = Object.fromEntries(
      resources(prod.json, 'kubernetes_namespace_v1').map((ns) => [ns.metadata.name, ns.metadata.labels['pod-security.kubernetes.io/enforce']]),
    );
    expect(levels).toEqual({ 'istio-system': 'restricted', 'istio-cni': 'privileged', 'istio-ingress': 'baseline' });
    expect(prod.byName('istio-cni')![1].namespace).toBe('${kubernetes_namespace_v1.namespace-istio-cni.metadata[0].name}');
    expect(prod.values('istiod').seccompProfile).toEqual({ type: 'RuntimeDefault' });
  });

  test('injects sidecars that meet restricted Pod Security: no istio-init (NET_ADMIN, NET_RAW), the CNI agent redirects traffic', () => {
    expect(prod.values('istiod').cni).toEqual({ enabled: true });
    expect(prod.values('istiod').global.proxy).toEqual({ seccompProfile: { type: 'RuntimeDefault' } });
    expect(prod.values('istio-cni')).toEqual({ chained: true });
  });

  test('on GKE, the CNI agent uses the gke platform profile and its CNI binary directory', () => {
    expect(synth({ cloud: 'gcp' }).values('istio-cni')).toEqual({ chained: true, global: { platform: 'gke' }, cniBinDir: '/home/kubernetes/bin' });
    for (const cloud of ['aws', 'azure'] as const) expect(synth({ cloud }).values('istio-cni')).toEqual({ chained: true });
  });

  test('the CNI agent installs after the add-ons it chains onto', () => {
    const stack = helmStack();
    const cilium = new HelmAddon(stack, 'cilium', { chart: CHARTS.cilium, namespace: 'cilium', podSecurity: 'privileged', values: {} });
    new Istio(stack, 'istio', { dependsOn: [cilium] });
    const json = synthJson(stack);
    const cni = Object.values(json.resource.helm_release as Record<string, any>).find((r) => r.name === 'istio-cni');
    expect(cni.depends_on).toEqual([expect.stringMatching(/^helm_release\.istio_base_/), expect.stringMatching(/^helm_release\.cilium_release_/)]);
  });

  test('autoscales istiod from 2 replicas with a disruption budget in HA, one replica without a budget otherwise', () => {
    expect(prod.values('istiod')).toMatchObject({ autoscaleEnabled: true, autoscaleMin: 2, replicaCount: 2, global: { defaultPodDisruptionBudget: { enabled: true } } });
    expect(dev.values('istiod')).toMatchObject({ autoscaleEnabled: false, replicaCount: 1, global: { defaultPodDisruptionBudget: { enabled: false } } });
  });

  test('logs access as JSON to stdout with automatic mTLS, and a PERMISSIVE mesh-wide PeerAuthentication by default', () => {
    expect(prod.values('istiod').meshConfig).toEqual({ accessLogFile: '/dev/stdout', accessLogEncoding: 'JSON', enableAutoMtls: true, enablePrometheusMerge: true });
    expect(prod.values('istio-mesh-policy').manifests).toEqual([
      { apiVersion: 'security.istio.io/v1', kind: 'PeerAuthentication', metadata: { name: 'default', namespace: 'istio-system' }, spec: { mtls: { mode: 'PERMISSIVE' } } },
    ]);
    expect(synth({ mtlsMode: 'STRICT' }).values('istio-mesh-policy').manifests[0].spec.mtls.mode).toBe('STRICT');
  });

  test('autoscales the gateway from 2 replicas with a budget in HA, one replica otherwise, with top-level values only', () => {
    expect(prod.values('istio-ingress')).toEqual({
      autoscaling: { enabled: true, minReplicas: 2, maxReplicas: 5 },
      podDisruptionBudget: { minAvailable: 1 },
      service: { annotations: {} },
    });
    expect(dev.values('istio-ingress')).toEqual({ autoscaling: { enabled: false }, replicaCount: 1, podDisruptionBudget: {}, service: { annotations: {} } });
    for (const key of Object.keys(prod.values('istio-ingress'))) expect(GATEWAY_KEYS).toContain(key);
  });

  test("annotates the gateway's Service, or leaves the gateway out", () => {
    const annotated = synth({ gatewayServiceAnnotations: { 'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internal' } });
    expect(annotated.values('istio-ingress').service.annotations).toEqual({ 'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internal' });
    const without = synth({ gateway: false });
    expect(without.byName('istio-ingress')).toBeUndefined();
    expect(resources(without.json, 'kubernetes_namespace_v1').map((ns) => ns.metadata.name)).toEqual(['istio-cni', 'istio-system']);
  });

  test('merges value overrides by release name', () => {
    const { values } = synth({ valueOverrides: { istiod: { meshConfig: { accessLogFile: '' } }, 'istio-ingress': { labels: { team: 'edge' } } } });
    expect(values('istiod').meshConfig).toMatchObject({ accessLogFile: '', enableAutoMtls: true });
    expect(values('istio-ingress').labels).toEqual({ team: 'edge' });
  });
});
