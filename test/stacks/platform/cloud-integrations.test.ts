import { parse } from 'yaml';
import { CHARTS } from '../../../constructs/core/charts';
import { azureProd, gcpProd, staging } from '../../../environments';
import { validateEnvironments } from '../../../environments/types';
import { clone, devConfig, onlyAddons, onlyResource, prodConfig, resources, synthEnvironment, TerraformJson } from '../../helpers';

const ATHENA = { resultsBucket: 'acme-athena-results', curBucket: 'acme-cur', database: 'athenacurcfn_acme', table: 'acme_cur' };
const AWS_ADDONS = {
  awsLoadBalancerController: { enabled: true },
  karpenter: { enabled: true, interruptionQueue: 'idp-karpenter' },
  kubecost: { enabled: true, billing: { aws: ATHENA } },
};

/** Replaces an environment's add-ons with the given ones. */
const withAddons = (addons: Record<string, unknown>) => (config: any) => {
  config.platform = onlyAddons(addons);
};

const synth = synthEnvironment;

const release = (json: TerraformJson, name: string) => resources(json, 'helm_release').find((r) => r.name === name);
const valuesOf = (json: TerraformJson, name: string) => parse(release(json, name).values[0]);
const policyOf = (infra: TerraformJson, role: string) => JSON.parse(resources(infra, 'aws_iam_role_policy').find((p) => p.name === role).policy).Statement as any[];
const readOnly = (action: string) => /^[a-z0-9-]+:(Describe|Get|List)[A-Za-z]*$/.test(action) || action === 'pricing:GetProducts';

describe('cloud integration add-ons on AWS', () => {
  const prod = synth(prodConfig(withAddons({ ...AWS_ADDONS, kubePrometheusStack: { enabled: true } })));
  const dev = synth(devConfig(withAddons(AWS_ADDONS)));

  test('install each pinned chart', () => {
    const charts = Object.fromEntries(resources(prod.platform, 'helm_release').map((r) => [r.name, { repository: r.repository, chart: r.chart, version: r.version }]));
    expect(charts).toMatchObject({ 'aws-load-balancer-controller': CHARTS.awsLoadBalancerController, karpenter: CHARTS.karpenter, kubecost: CHARTS.kubecost });
  });

  test('each controller gets an EKS Pod Identity role bound to its namespace and service account', () => {
    const associations = resources(prod.infra, 'aws_eks_pod_identity_association').map((a) => `${a.namespace}/${a.service_account}`);
    expect(associations).toEqual(expect.arrayContaining(['aws-load-balancer-controller/aws-load-balancer-controller', 'karpenter/karpenter', 'kubecost/kubecost']));
  });

  test.each(['idp-prod-aws-load-balancer-controller', 'idp-prod-karpenter', 'idp-prod-kubecost'])('%s: no * action, and no * resource on a write', (role) => {
    for (const statement of policyOf(prod.infra, role)) {
      expect(statement.Action.some((action: string) => action.includes('*'))).toBe(false);
      if (statement.Action.some((action: string) => !readOnly(action))) {
        expect(statement.Resource).not.toContain('*');
        for (const arn of statement.Resource) expect(arn).toMatch(/^arn:aws:[a-z0-9-]+:(eu-west-1)?:(222222222222)?:/);
      }
    }
  });

  test('the interruption queue defaults to <cluster>-karpenter: environments of one account and region need not name one', () => {
    const { infra, platform } = synth(devConfig(withAddons({ karpenter: { enabled: true } })));
    expect(onlyResource(infra, 'aws_sqs_queue').name).toBe('idp-dev-karpenter');
    expect(valuesOf(platform, 'karpenter').settings.interruptionQueue).toBe('idp-dev-karpenter');
    expect(policyOf(infra, 'idp-dev-karpenter').find((s) => s.Action.includes('sqs:ReceiveMessage')).Resource).toEqual(['arn:aws:sqs:eu-west-1:111111111111:idp-dev-karpenter']);
    // dev and staging share account 111111111111 in eu-west-1: their defaults differ, and an explicit name that takes another's default is refused
    expect(() => validateEnvironments([devConfig(), clone(staging)])).not.toThrow();
    const taken = clone(staging) as any;
    taken.platform.addons.karpenter = { enabled: true, interruptionQueue: 'idp-dev-karpenter' };
    expect(() => validateEnvironments([devConfig(), taken])).toThrow(/platform\.addons\.karpenter\.interruptionQueue "idp-dev-karpenter" is used by environment "dev"/);
  });

  test("the infra stack makes Karpenter's interruption queue, fed by one EventBridge rule per interruption event", () => {
    const [[queueName, queue]] = Object.entries(prod.infra.resource.aws_sqs_queue) as [string, any][];
    expect(queue).toMatchObject({ name: 'idp-karpenter', sqs_managed_sse_enabled: true, message_retention_seconds: 300 });
    const rules = resources(prod.infra, 'aws_cloudwatch_event_rule').map((r) => JSON.parse(r.event_pattern)['detail-type'][0]);
    expect(rules.sort()).toEqual([
      'AWS Health Event',
      'EC2 Capacity Reservation Instance Interruption Warning',
      'EC2 Instance Rebalance Recommendation',
      'EC2 Instance State-change Notification',
      'EC2 Spot Instance Interruption Warning',
    ]);
    expect(resources(prod.infra, 'aws_cloudwatch_event_target').every((t) => t.arn === `\${aws_sqs_queue.${queueName}.arn}`)).toBe(true);
    const policy = JSON.parse(onlyResource(prod.infra, 'aws_sqs_queue_policy').policy).Statement;
    expect(policy[0]).toMatchObject({ Effect: 'Allow', Action: 'sqs:SendMessage', Principal: { Service: ['events.amazonaws.com', 'sqs.amazonaws.com'] } });
  });

  test('private subnets and the cluster security group carry the karpenter.sh/discovery tag of the cluster', () => {
    const privateSubnets = resources(prod.infra, 'aws_subnet').filter((s) => s.tags['kubernetes.io/role/internal-elb']);
    expect(privateSubnets.every((s) => s.tags['karpenter.sh/discovery'] === 'idp-prod')).toBe(true);
    expect(onlyResource(prod.infra, 'aws_ec2_tag')).toMatchObject({ key: 'karpenter.sh/discovery', value: 'idp-prod', resource_id: expect.stringMatching(/vpc_config\[0\]\.cluster_security_group_id/) });
  });

  test('tag conditions from the upstream policies reach the synthesized policy documents', () => {
    const terminate = policyOf(prod.infra, 'idp-prod-karpenter').find((s) => s.Action.includes('ec2:TerminateInstances'));
    expect(terminate?.Condition).toBeDefined();
    const conditioned = policyOf(prod.infra, 'idp-prod-aws-load-balancer-controller').filter((s) => s.Condition);
    expect(conditioned.length).toBeGreaterThan(0);
  });

  test('Karpenter may tag its running instances with their NodeClaim (upstream AllowScopedResourceTagging), within IAM\'s inline policy size', () => {
    const statements = policyOf(prod.infra, 'idp-prod-karpenter');
    expect(statements.find((s) => s.Sid === 'AllowScopedResourceTagging')).toEqual({
      Sid: 'AllowScopedResourceTagging',
      Effect: 'Allow',
      Action: ['ec2:CreateTags'],
      Resource: ['arn:aws:ec2:eu-west-1:222222222222:instance/*'],
      Condition: {
        StringEquals: { 'aws:ResourceTag/kubernetes.io/cluster/idp-prod': 'owned' },
        StringLike: { 'aws:ResourceTag/karpenter.sh/nodepool': '*' },
        StringEqualsIfExists: { 'aws:RequestTag/eks:eks-cluster-name': 'idp-prod' },
        'ForAllValues:StringEquals': { 'aws:TagKeys': ['eks:eks-cluster-name', 'karpenter.sh/nodeclaim', 'Name'] },
      },
    });
    // IAM: a role's inline policies total at most 10,240 characters, whitespace not counted.
    const policy = resources(prod.infra, 'aws_iam_role_policy').find((p) => p.name === 'idp-prod-karpenter').policy as string;
    expect(policy.replace(/\s/g, '').length).toBeLessThanOrEqual(10240);
  });

  test("Karpenter may pass only the cluster's node role and read only its interruption queue", () => {
    const statements = policyOf(prod.infra, 'idp-prod-karpenter');
    expect(statements.find((s) => s.Action.includes('iam:PassRole')).Resource).toEqual(['arn:aws:iam::222222222222:role/idp-prod-node']);
    expect(statements.find((s) => s.Action.includes('sqs:ReceiveMessage')).Resource).toEqual(['arn:aws:sqs:eu-west-1:222222222222:idp-karpenter']);
  });

  test('HA follows the tier', () => {
    expect(valuesOf(prod.platform, 'aws-load-balancer-controller')).toMatchObject({ replicaCount: 2, podDisruptionBudget: { maxUnavailable: 1 } });
    expect(valuesOf(dev.platform, 'aws-load-balancer-controller')).toMatchObject({ replicaCount: 1 });
    expect(valuesOf(prod.platform, 'karpenter').replicas).toBe(2);
    expect(valuesOf(dev.platform, 'karpenter').replicas).toBe(1);
    expect(valuesOf(prod.platform, 'kubecost').frontend.replicas).toBe(2);
    expect(valuesOf(dev.platform, 'kubecost')).toMatchObject({ frontend: { replicas: 1 }, aggregator: { useEmptyDir: true } });
  });

  test('the load balancer controller finds the VPC by the Name tag of the infra stack, or takes an id', () => {
    expect(valuesOf(prod.platform, 'aws-load-balancer-controller')).toMatchObject({ clusterName: 'idp-prod', region: 'eu-west-1', vpcTags: { Name: 'prod' } });
    const withId = synth(devConfig(withAddons({ awsLoadBalancerController: { enabled: true, vpcId: 'vpc-0123456789abcdef0' } })));
    expect(valuesOf(withId.platform, 'aws-load-balancer-controller').vpcId).toBe('vpc-0123456789abcdef0');
  });

  test('Kubecost reads the CUR through Athena in the account, and is scraped by kube-prometheus-stack', () => {
    const values = valuesOf(prod.platform, 'kubecost');
    expect(JSON.parse(values.cloudCost.cloudIntegrationJSON).aws.athena[0]).toEqual({
      bucket: 's3://acme-athena-results',
      region: 'eu-west-1',
      database: 'athenacurcfn_acme',
      table: 'acme_cur',
      workgroup: 'primary',
      account: '222222222222',
      authorizer: { authorizerType: 'AWSServiceAccount' },
    });
    expect(values.aggregator.serviceMonitor.enabled).toBe(true);
    expect(valuesOf(dev.platform, 'kubecost').aggregator.serviceMonitor.enabled).toBe(false);
  });

  test('Kubecost without billing asks for no identity', () => {
    const { infra } = synth(devConfig(withAddons({ kubecost: { enabled: true } })));
    expect(resources(infra, 'aws_eks_pod_identity_association').map((a) => a.namespace)).not.toContain('kubecost');
  });
});

describe('Kubecost billing on Azure and GCP', () => {
  test('Azure: Storage Blob Data Reader on the export container, through a federated identity', () => {
    const config = clone(azureProd) as any;
    config.platform = onlyAddons({ kubecost: { enabled: true, billing: { azure: { resourceGroup: 'billing', storageAccount: 'acmebilling', container: 'exports' } } } });
    const { infra, platform } = synth(config);
    const grant = resources(infra, 'azurerm_role_assignment').find((r) => r.role_definition_name === 'Storage Blob Data Reader');
    expect(grant.scope).toMatch(/\/resourceGroups\/billing\/providers\/Microsoft\.Storage\/storageAccounts\/acmebilling\/blobServices\/default\/containers\/exports$/);
    expect(resources(infra, 'azurerm_federated_identity_credential').map((c) => c.subject)).toContain('system:serviceaccount:kubecost:kubecost');
    const values = valuesOf(platform, 'kubecost');
    expect(values.global.additionalLabels).toEqual({ 'azure.workload.identity/use': 'true' });
    expect(JSON.parse(values.cloudCost.cloudIntegrationJSON).azure.storage[0].authorizer).toEqual({ authorizerType: 'AzureDefaultCredential' });
  });

  test('GCP: BigQuery reader and job user in the project, through Workload Identity', () => {
    const config = clone(gcpProd) as any;
    config.platform = onlyAddons({ kubecost: { enabled: true, billing: { gcp: { dataset: 'billing_export', table: 'gcp_billing_export_v1' } } } });
    const { infra, platform } = synth(config);
    expect(resources(infra, 'google_project_iam_member').map((m) => m.role)).toEqual(expect.arrayContaining(['roles/bigquery.dataViewer', 'roles/bigquery.jobUser']));
    expect(valuesOf(platform, 'kubecost').serviceAccount.annotations['iam.gke.io/gcp-service-account']).toMatch(/terraform_remote_state\..+email\}$/);
  });
});

describe('cloud integration add-ons are refused where they cannot run', () => {
  test.each(['awsLoadBalancerController', 'karpenter'])('throws when %s is enabled on Azure', (key) => {
    const config = clone(azureProd) as any;
    config.platform = onlyAddons({ [key]: { enabled: true, ...(key === 'karpenter' ? { interruptionQueue: 'q' } : {}) } });
    expect(() => validateEnvironments([config])).toThrow(expect.objectContaining({ code: 'IDPKIT_INVALID_ENVIRONMENT', message: expect.stringContaining('is not available on azure (only on aws)') }));
  });

  test('throws when kubecost and opencost are both enabled', () => {
    expect(() => validateEnvironments([devConfig(withAddons({ kubecost: { enabled: true }, opencost: { enabled: true } }))])).toThrow(/enable kubecost or opencost, but not both/);
  });

  test('throws when Karpenter names an interruption queue whose EventBridge rule names would exceed 64 characters', () => {
    expect(() => validateEnvironments([devConfig(withAddons({ karpenter: { enabled: true, interruptionQueue: 'q'.repeat(43) } }))])).toThrow(/interruptionQueue .*at most 42/);
  });

  test("throws when an on-demand node group's first nodes cannot hold Karpenter's controller replicas", () => {
    const tooSmall = prodConfig((c) => (c.cluster.nodeGroups = [{ name: 'general', instanceTypes: ['m6i.xlarge'], minSize: 1, maxSize: 12 }]));
    expect(() => validateEnvironments([tooSmall])).toThrow(
      expect.objectContaining({
        code: 'IDPKIT_INVALID_ENVIRONMENT',
        message: expect.stringContaining(
          'platform.addons.karpenter.enabled true runs 2 Karpenter controller replicas on separate nodes in the prod tier on the managed node groups (it never runs on the nodes it launches, nor on tainted spot groups), but cluster.nodeGroups start with 1 on-demand node (the sum of their minSize): raise minSize of an on-demand node group to 2',
        ),
      }),
    );
    // spot groups are tainted: they do not count
    const spot = prodConfig((c) => (c.cluster.nodeGroups = [c.cluster.nodeGroups[0], { name: 'spot', instanceTypes: ['m6i.xlarge'], minSize: 3, maxSize: 6, capacityType: 'SPOT' }]));
    spot.cluster.nodeGroups![0] = { ...spot.cluster.nodeGroups![0], minSize: 1 };
    expect(() => validateEnvironments([spot])).toThrow(/start with 1 on-demand node/);
    // one replica in dev: one node is enough; without Karpenter nothing is asked
    expect(() => validateEnvironments([devConfig((c) => (c.cluster.nodeGroups[0].minSize = 1))])).not.toThrow();
    expect(() => validateEnvironments([prodConfig((c) => { c.cluster.nodeGroups[0].minSize = 1; c.platform.addons.karpenter = { enabled: false }; })])).not.toThrow();
  });

  test("throws when Kubecost's billing is for another cloud", () => {
    const config = devConfig(withAddons({ kubecost: { enabled: true, billing: { gcp: { dataset: 'd', table: 't' } } } }));
    expect(() => synth(config)).toThrow(expect.objectContaining({ code: 'IDPKIT_INVALID_ENVIRONMENT', message: expect.stringMatching(/billing\.gcp is for gcp, but the environment runs on aws/) }));
  });
});
