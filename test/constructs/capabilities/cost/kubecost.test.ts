import { parse } from 'yaml';
import { KubePrometheusStack } from '../../../../constructs/capabilities/observability/kube-prometheus-stack';
import { helmStack } from '../../../helm-helpers';
import {
  Kubecost,
  KubecostAthenaBilling,
  KubecostProps,
  kubecostAthenaPolicy,
  kubecostAzureExportScope,
  kubecostCloudIntegration,
} from '../../../../constructs/capabilities/cost/kubecost';
import { CHARTS } from '../../../../constructs/core/charts';
import { resources, synthJson } from '../../../helpers';

const athena: KubecostAthenaBilling = {
  cloud: 'aws',
  accountId: '111111111111',
  region: 'eu-west-1',
  resultsBucket: 'acme-athena-results',
  curBucket: 'acme-cur',
  database: 'athenacurcfn_acme',
  table: 'acme_cur',
  workgroup: 'primary',
};

function synth(props: Partial<KubecostProps>, withPrometheusStack = false) {
  const stack = helmStack();
  const dependsOn = withPrometheusStack ? [new KubePrometheusStack(stack, 'kube-prometheus-stack').addon] : [];
  new Kubecost(stack, 'kubecost', { clusterName: 'idp-test', dependsOn, ...props });
  const json = synthJson(stack);
  const release = resources(json, 'helm_release').find((r) => r.chart === 'kubecost');
  const namespace = resources(json, 'kubernetes_namespace_v1').find((ns) => ns.metadata.name === 'kubecost');
  return { json, release, namespace, values: parse(release.values[0]) };
}

describe('Kubecost', () => {
  test('installs the pinned 3.x chart (kubecost, not cost-analyzer) with the cluster as its id', () => {
    const { release, values, namespace } = synth({});
    expect(release).toMatchObject({ repository: 'https://kubecost.github.io/kubecost/', chart: 'kubecost', version: CHARTS.kubecost.version, name: 'kubecost' });
    expect(values.global.clusterId).toBe('idp-test');
    expect(namespace.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('baseline');
  });

  test('HA keeps persistent volumes and two frontends; dev runs one frontend on ephemeral storage', () => {
    const prod = synth({}).values;
    expect(prod.frontend.replicas).toBe(2);
    expect(prod.aggregator.replicas).toBe(1);
    expect(prod.localStore).toBeUndefined();
    expect(prod.aggregator.useEmptyDir).toBeUndefined();
    const dev = synth({ highAvailability: false }).values;
    expect(dev).toMatchObject({
      frontend: { replicas: 1 },
      localStore: { persistentVolume: { enabled: false } },
      aggregator: { useEmptyDir: true, replicas: 1 },
      cloudCost: { persistentConfigsStorage: { enabled: false } },
    });
  });

  test('network costs are off by default; on, the namespace is privileged', () => {
    expect(synth({}).values.networkCosts.enabled).toBe(false);
    const { values, namespace } = synth({ networkCosts: true });
    expect(values.networkCosts.enabled).toBe(true);
    expect(namespace.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('privileged');
  });

  test('with kube-prometheus-stack, the aggregator is scraped and Kubecost installs after it', () => {
    const { values, release } = synth({ serviceMonitor: true }, true);
    expect(values.aggregator.serviceMonitor).toEqual({ enabled: true });
    expect(release.depends_on).toEqual([expect.stringMatching(/^helm_release\.kube-prometheus-stack_release_/)]);
  });

  test('billing goes in cloudIntegrationJSON with a workload identity authorizer, never a key', () => {
    const identity = { serviceAccountAnnotations: { 'iam.gke.io/gcp-service-account': 'kubecost@p.iam.gserviceaccount.com' }, podLabels: {} };
    const { values } = synth({ billing: { cloud: 'gcp', projectId: 'acme-prod', dataset: 'billing', table: 'export' }, identity });
    expect(JSON.parse(values.cloudCost.cloudIntegrationJSON)).toEqual({
      gcp: { bigQuery: [{ projectID: 'acme-prod', dataset: 'billing', table: 'export', authorizer: { authorizerType: 'GCPWorkloadIdentity' } }] },
    });
    expect(values.serviceAccount.annotations).toEqual(identity.serviceAccountAnnotations);
    expect(kubecostCloudIntegration(athena)).toMatchObject({ aws: { athena: [{ bucket: 's3://acme-athena-results', authorizer: { authorizerType: 'AWSServiceAccount' } }] } });
    expect(synth({}).values.cloudCost.cloudIntegrationJSON).toBeUndefined();
  });

  test('throws when billing is given without an identity', () => {
    expect(() => synth({ billing: athena })).toThrow(expect.objectContaining({ code: 'IDPKIT_INVALID_PROPS' }));
  });

  test('the Athena policy reads one workgroup, database, table and CUR bucket, and writes only query results', () => {
    const statements = kubecostAthenaPolicy(athena);
    for (const statement of statements) {
      expect([statement.Action].flat().some((action) => action.includes('*'))).toBe(false);
      expect([statement.Resource].flat()).not.toContain('*');
    }
    const writes = statements.filter((s) => [s.Action].flat().includes('s3:PutObject'));
    expect(writes.map((s) => s.Resource)).toEqual([['arn:aws:s3:::acme-athena-results', 'arn:aws:s3:::acme-athena-results/*']]);
    expect(kubecostAzureExportScope({ cloud: 'azure', subscriptionId: 'sub', resourceGroup: 'rg', storageAccount: 'acct', container: 'exports', path: '', azureCloud: 'public' })).toBe(
      '/subscriptions/sub/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/acct/blobServices/default/containers/exports',
    );
  });
});
