import { stringify } from 'yaml';
import { AppRule, checkApp, TerraformJson } from '../../../../constructs/policy/engine';
import {
  APPLY_RULES,
  iamUniqueSidsRule,
  literalReferencesRule,
  podRequestsFitRule,
  releaseReadinessRule,
  secretReferencesRule,
  uniqueNamesRule,
} from '../../../../constructs/policy/rules/apply';
import { cpuMillicores, memoryMiB } from '../../../../constructs/policy/rules/apply/pod-requests-fit';
import { policyJson } from '../rule-helpers';

/** What a rule reports over an app, one line per violation: `stack resource attribute`. */
const report = (rule: AppRule, stacks: Record<string, TerraformJson>): string[] =>
  rule.checkApp(stacks).map((violation) => [violation.stack, violation.resource, violation.attribute].join(' '));

/** A helm_release of a chart with one values document. */
const release = (chart: string, namespace: string, values: object, extra: object = {}) => ({ chart, namespace, values: [stringify(values)], atomic: true, ...extra });

/** A release of idpkit's manifests chart applying these objects. */
const manifests = (namespace: string, objects: object[], extra: object = {}) => release('./assets/chart/idpkit-manifests', namespace, { manifests: objects }, extra);

const awsProvider = (account: string) => ({ aws: [{ region: 'eu-west-1', allowed_account_ids: [account] }] });

describe('the apply pack', () => {
  test('has ids IDP-APPLY-NNN in order, each an error in every tier', () => {
    expect(APPLY_RULES.map((rule) => rule.id)).toEqual(['IDP-APPLY-001', 'IDP-APPLY-002', 'IDP-APPLY-003', 'IDP-APPLY-004', 'IDP-APPLY-005', 'IDP-APPLY-006']);
    for (const rule of APPLY_RULES) expect(rule.severity).toBe('error');
  });

  test('findings name the stack, the resource, the attribute (as a JSON path) and the fix', () => {
    const stacks = { app: { resource: { aws_iam_policy: { p: { policy: policyJson({ Sid: 'A' }, { Sid: 'A' }) } } } } };
    expect(checkApp(stacks, { rules: [iamUniqueSidsRule] })).toEqual([
      {
        rule: 'IDP-APPLY-002',
        severity: 'error',
        stack: 'app',
        file: 'stacks/app/cdk.tf.json',
        resource: 'aws_iam_policy.p',
        path: 'resource.aws_iam_policy.p.policy',
        message: 'aws_iam_policy.p policy: repeats Sid "A"',
        fix: iamUniqueSidsRule.fix,
      },
    ]);
  });
});

describe('IDP-APPLY-001: every Secret a release or manifest names is created, before a release that waits for it', () => {
  const grafana = release('kube-prometheus-stack', 'monitoring', { grafana: { admin: { existingSecret: 'grafana-admin' } } });

  test('fails: a chart reads a Secret nothing creates (Grafana admin, before issue 19)', () => {
    expect(report(secretReferencesRule, { p: { resource: { helm_release: { kps: grafana } } } })).toEqual(['p helm_release.kps values[0]#grafana.admin.existingSecret']);
  });

  test('fails: env from a Secret, a volume, a token reference, an image pull secret', () => {
    const values = {
      extraEnvVars: [{ name: 'P', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } }],
      envFrom: [{ secretRef: { name: 'env' } }],
      volumes: [{ name: 'tls', secret: { secretName: 'tls' } }],
      imagePullSecrets: [{ name: 'pull' }],
      extraEnvVarsSecrets: ['more'],
    };
    const appSet = { apiVersion: 'argoproj.io/v1alpha1', kind: 'ApplicationSet', metadata: { name: 'p' }, spec: { generators: [{ pullRequest: { github: { tokenRef: { secretName: 'gh', key: 'token' } } } }] } };
    const found = secretReferencesRule.checkApp({ p: { resource: { helm_release: { app: release('app', 'apps', values), sets: manifests('argocd', [appSet]) } } } });
    expect(found.map((v) => v.problem.match(/Secret "([^"]+)"/)![1])).toEqual(['db', 'env', 'tls', 'pull', 'more', 'gh']);
  });

  test('passes: the Secret is an ExternalSecret target, a Certificate, a CloudNativePG cluster secret, a kubernetes_secret_v1, installed first', () => {
    const objects = [
      { apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret', metadata: { name: 'grafana-admin', namespace: 'monitoring' }, spec: { target: { name: 'grafana-admin' } } },
      { apiVersion: 'cert-manager.io/v1', kind: 'Certificate', metadata: { name: 'tls', namespace: 'apps' }, spec: { secretName: 'tls' } },
      { apiVersion: 'postgresql.cnpg.io/v1', kind: 'Cluster', metadata: { name: 'db', namespace: 'apps' }, spec: { instances: 1 } },
    ];
    const values = { volumes: [{ secret: { secretName: 'tls' } }], env: [{ valueFrom: { secretKeyRef: { name: 'db-app', key: 'password' } } }], envFrom: [{ secretRef: { name: 'token' } }] };
    const stack = {
      resource: {
        kubernetes_secret_v1: { token: { metadata: { name: 'token', namespace: 'apps' } } },
        helm_release: {
          secrets: manifests('apps', objects),
          kps: { ...grafana, depends_on: ['helm_release.secrets'] },
          app: release('app', 'apps', values, { depends_on: ['helm_release.secrets', 'kubernetes_secret_v1.token'] }),
        },
      },
    };
    expect(report(secretReferencesRule, { p: stack })).toEqual([]);
  });

  test('fails: the creator exists but is not installed before a release that waits for it', () => {
    const secret = { apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret', metadata: { name: 'grafana-admin', namespace: 'monitoring' }, spec: {} };
    const found = secretReferencesRule.checkApp({ p: { resource: { helm_release: { kps: grafana, secrets: manifests('monitoring', [secret]) } } } });
    expect(found.map((v) => v.problem)).toEqual([expect.stringContaining('helm_release.secrets, which creates it, is not installed before it')]);
    // a release Terraform does not wait for only needs the Secret to exist eventually
    const noWait = { ...grafana, atomic: false, wait: false };
    expect(report(secretReferencesRule, { p: { resource: { helm_release: { kps: noWait, secrets: manifests('monitoring', [secret]) } } } })).toEqual([]);
  });

  test('namespaces count: a Secret in another namespace does not serve, a namespace resource reference resolves', () => {
    const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'grafana-admin', namespace: 'default' } };
    const namespace = { metadata: [{ name: 'monitoring' }] };
    const byReference = { ...grafana, namespace: '${kubernetes_namespace_v1.monitoring.metadata[0].name}', depends_on: ['helm_release.secrets'] };
    const stack = (secretNamespace: string) => ({
      resource: {
        kubernetes_namespace_v1: { monitoring: namespace },
        helm_release: { kps: byReference, secrets: manifests('x', [{ ...secret, metadata: { ...secret.metadata, namespace: secretNamespace } }], { depends_on: ['kubernetes_namespace_v1.monitoring'] }) },
      },
    });
    expect(report(secretReferencesRule, { p: stack('default') })).toHaveLength(1);
    expect(report(secretReferencesRule, { p: stack('monitoring') })).toEqual([]);
  });

  test('fails: objects go into a namespace the stack creates, before it exists (no depends_on on the namespace)', () => {
    const connection = { apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret', metadata: { name: 'db', namespace: 'backstage' }, spec: {} };
    const stack = (extra: object) => ({ resource: { kubernetes_namespace_v1: { backstage: { metadata: [{ name: 'backstage' }] } }, helm_release: { connections: manifests('external-secrets', [connection], extra) } } });
    expect(report(secretReferencesRule, { p: stack({}) })).toEqual(['p helm_release.connections values[0]#manifests[0].metadata.namespace']);
    expect(report(secretReferencesRule, { p: stack({ depends_on: ['kubernetes_namespace_v1.backstage'] }) })).toEqual([]);
    // a namespace nothing in the stack creates exists already (kube-system)
    expect(report(secretReferencesRule, { p: { resource: { helm_release: { m: release('metrics-server', 'kube-system', {}) } } } })).toEqual([]);
  });

  test('passes: an Ingress TLS secret cert-manager issues (ingress-shim annotation); fails without it', () => {
    const ingress = (annotations: object) => release('backstage', 'backstage', { ingress: { enabled: true, annotations, tls: { enabled: true, secretName: 'backstage-tls' } } });
    expect(report(secretReferencesRule, { p: { resource: { helm_release: { b: ingress({ 'cert-manager.io/cluster-issuer': 'letsencrypt' }) } } } })).toEqual([]);
    expect(report(secretReferencesRule, { p: { resource: { helm_release: { b: ingress({}) } } } })).toEqual(['p helm_release.b values[0]#ingress.tls.secretName']);
  });

  test('ignores what schemas and templates name (CRDs, Compositions)', () => {
    const composition = { apiVersion: 'apiextensions.crossplane.io/v1', kind: 'Composition', metadata: { name: 'c' }, spec: { resources: [{ base: { spec: { secretRef: { name: 'patched-later' } } } }] } };
    expect(report(secretReferencesRule, { p: { resource: { helm_release: { c: manifests('crossplane-system', [composition]) } } } })).toEqual([]);
  });
});

describe('IDP-APPLY-002: IAM policy documents have unique Sids', () => {
  test('fails: two statements share a Sid (the Loki role of staging, before issue 19), in JSON or a policy document data source', () => {
    const loki = policyJson({ Sid: 'ListBucket', Effect: 'Allow', Action: 's3:ListBucket', Resource: 'a' }, { Sid: 'ListBucket', Effect: 'Allow', Action: 's3:ListBucket', Resource: 'b' });
    const stacks = {
      infra: {
        resource: { aws_iam_role_policy: { loki: { policy: loki } }, aws_kms_key: { key: { policy: policyJson({ Sid: 'Root' }, { Sid: 'Root' }) } } },
        data: { aws_iam_policy_document: { doc: { statement: [{ sid: 'X' }, { sid: 'X' }, { sid: 'Y' }] } } },
      },
    };
    expect(report(iamUniqueSidsRule, stacks)).toEqual(['infra aws_iam_role_policy.loki policy', 'infra aws_kms_key.key policy', 'infra data.aws_iam_policy_document.doc statement']);
  });

  test('passes: unique Sids, statements without Sid, references', () => {
    const stacks = {
      infra: {
        resource: { aws_iam_role_policy: { a: { policy: policyJson({ Sid: 'A' }, { Sid: 'B' }, {}, {}) }, b: { policy: '${data.aws_iam_policy_document.doc.json}' } } },
        data: { aws_iam_policy_document: { doc: { statement: [{ sid: 'X' }, {}] } } },
      },
    };
    expect(report(iamUniqueSidsRule, stacks)).toEqual([]);
  });
});

describe('IDP-APPLY-003: names unique per account, region or globally are created once', () => {
  const repository = (name: string) => ({ aws_ecr_repository: { repo: { name } } });

  test('fails: two stacks of one account and region create one ECR repository (dev and staging, before issue 19)', () => {
    const stacks = { 'dev-infra': { provider: awsProvider('111111111111'), resource: repository('apps/web') }, 'staging-infra': { provider: awsProvider('111111111111'), resource: repository('apps/web') } };
    const found = uniqueNamesRule.checkApp(stacks);
    expect(found).toEqual([
      {
        stack: 'staging-infra',
        resource: 'aws_ecr_repository.repo',
        attribute: 'name',
        problem: '"apps/web" is also created by aws_ecr_repository.repo in stack dev-infra; aws_ecr_repository names are unique once per account and region, so the second apply fails',
      },
    ]);
  });

  test('passes: other accounts, other regions, other names', () => {
    const otherRegion = { aws: [{ region: 'us-east-1', allowed_account_ids: ['111111111111'] }] };
    const stacks = {
      a: { provider: awsProvider('111111111111'), resource: repository('apps/web') },
      b: { provider: awsProvider('222222222222'), resource: repository('apps/web') },
      c: { provider: otherRegion, resource: repository('apps/web') },
      d: { provider: awsProvider('111111111111'), resource: repository('dev/apps/web') },
    };
    expect(report(uniqueNamesRule, stacks)).toEqual([]);
  });

  test('fails: account-wide IAM names across regions, global names across accounts and clouds', () => {
    const stacks = {
      a: { provider: awsProvider('111111111111'), resource: { aws_iam_role: { r: { name: 'ci' } }, aws_s3_bucket: { b: { bucket: 'state' } } } },
      b: { provider: { aws: [{ region: 'us-east-1', allowed_account_ids: ['111111111111'] }] }, resource: { aws_iam_role: { r: { name: 'ci' } } } },
      c: { provider: awsProvider('222222222222'), resource: { aws_s3_bucket: { b: { bucket: 'state' } } } },
      d: { provider: { azurerm: [{ subscription_id: 's1' }] }, resource: { azurerm_storage_account: { a: { name: 'idpkitstate' } } } },
      e: { provider: { azurerm: [{ subscription_id: 's2' }] }, resource: { azurerm_storage_account: { a: { name: 'idpkitstate' } } } },
    };
    expect(report(uniqueNamesRule, stacks)).toEqual(['b aws_iam_role.r name', 'c aws_s3_bucket.b bucket', 'e azurerm_storage_account.a name']);
  });

  test('GCP: a resource names its project and location, or takes its provider`s', () => {
    const google = (project: string) => ({ google: [{ project, region: 'europe-west1' }] });
    const ring = (extra: object = {}) => ({ google_kms_key_ring: { ring: { name: 'idpkit', location: 'europe-west1', ...extra } } });
    const stacks = { a: { provider: google('p1'), resource: ring() }, b: { provider: google('p1'), resource: ring() }, c: { provider: google('p1'), resource: ring({ project: 'p2' }) } };
    expect(report(uniqueNamesRule, stacks)).toEqual(['b google_kms_key_ring.ring name']);
  });

  test('names that are references, or whose account is unknown, are not compared', () => {
    const stacks = { a: { resource: repository('apps/web') }, b: { resource: repository('apps/web') }, c: { provider: awsProvider('1'), resource: repository('${var.x}') } };
    expect(report(uniqueNamesRule, stacks)).toEqual([]);
  });
});

describe('IDP-APPLY-004: resources name other resources of their stack through references', () => {
  const group = { azurerm_resource_group: { rg: { name: 'rg-dev', location: 'westeurope' } } };

  test('fails: an Azure resource names its resource group by literal (before issue 19); a scope holds it as an ARM id segment', () => {
    const stacks = {
      infra: {
        resource: {
          ...group,
          azurerm_user_assigned_identity: { id: { name: 'eso', resource_group_name: 'rg-dev', location: 'westeurope' } },
          azurerm_role_assignment: { ra: { scope: '/subscriptions/s/resourceGroups/rg-dev', principal_id: 'p' } },
        },
      },
    };
    expect(report(literalReferencesRule, stacks)).toEqual(['infra azurerm_user_assigned_identity.id resource_group_name', 'infra azurerm_role_assignment.ra scope']);
  });

  test('passes: a reference, depends_on, or an ordering through another resource', () => {
    const stacks = {
      infra: {
        resource: {
          ...group,
          azurerm_user_assigned_identity: { id: { name: 'eso', resource_group_name: '${azurerm_resource_group.rg.name}' } },
          azurerm_key_vault: { kv: { name: 'kv', resource_group_name: 'rg-dev', depends_on: ['azurerm_resource_group.rg'] } },
          azurerm_role_assignment: { ra: { scope: '/subscriptions/s/resourceGroups/rg-dev', principal_id: '${azurerm_user_assigned_identity.id.principal_id}' } },
        },
      },
    };
    expect(report(literalReferencesRule, stacks)).toEqual([]);
  });

  test('fails: GCP bucket IAM by bucket name, and workload identity members of a pool the cluster creates (before issue 19)', () => {
    const stacks = {
      bootstrap: { resource: { google_storage_bucket: { b: { name: 'acme-tfstate' } }, google_storage_bucket_iam_member: { m: { bucket: 'acme-tfstate', role: 'r', member: 'user:a@b.c' } } } },
      infra: {
        provider: { google: [{ project: 'acme-dev', region: 'europe-west1' }] },
        resource: {
          google_container_cluster: { gke: { name: 'idp-dev', workload_identity_config: { workload_pool: '${data.google_project.p.project_id}.svc.id.goog' } } },
          google_service_account_iam_member: { wi: { service_account_id: 'x', role: 'roles/iam.workloadIdentityUser', member: 'serviceAccount:acme-dev.svc.id.goog[loki/loki]' } },
        },
      },
    };
    expect(report(literalReferencesRule, stacks)).toEqual(['bootstrap google_storage_bucket_iam_member.m bucket', 'infra google_service_account_iam_member.wi member']);
  });

  test('fails: a KMS grant to a Google service agent no service identity creates first; passes after one', () => {
    const grant = (extra: object) => ({ crypto_key_id: 'k', role: 'r', member: 'serviceAccount:service-${data.google_project.p.number}@gcp-sa-cloud-sql.iam.gserviceaccount.com', ...extra });
    const identity = { google_project_service_identity: { sql: { service: 'sqladmin.googleapis.com', provider: 'google-beta' } } };
    expect(report(literalReferencesRule, { infra: { resource: { google_kms_crypto_key_iam_member: { g: grant({}) } } } })).toEqual(['infra google_kms_crypto_key_iam_member.g member']);
    expect(report(literalReferencesRule, { infra: { resource: { ...identity, google_kms_crypto_key_iam_member: { g: grant({ depends_on: ['google_project_service_identity.sql'] }) } } } })).toEqual([]);
  });

  test('identity policies may name resources that do not exist yet; trust and key policies may not', () => {
    const stack = {
      resource: {
        aws_iam_role: { node: { name: 'idp-dev-node' } },
        aws_iam_role_policy: { p: { policy: policyJson({ Action: 'iam:PassRole', Resource: 'arn:aws:iam::1:role/idp-dev-node' }) } },
        aws_kms_key: { k: { policy: policyJson({ Principal: { AWS: 'arn:aws:iam::1:role/idp-dev-node' } }) } },
      },
    };
    expect(report(literalReferencesRule, { infra: stack })).toEqual(['infra aws_kms_key.k policy']);
  });
});

describe('IDP-APPLY-005: no container requests more than the largest node of its cluster allocates', () => {
  const infra = (pools: object) => ({ provider: awsProvider('111111111111'), resource: pools });
  const nodeGroup = (instanceTypes: string[], extra: object = {}) => ({ aws_eks_node_group: { general: { instance_types: instanceTypes, ...extra } } });
  const platform = (releases: object) => ({ data: { terraform_remote_state: { 'cross-stack-reference-input-infra': {} } }, resource: { helm_release: releases } });
  const loki = (values: object) => release('loki', 'loki', values);

  test('reads Kubernetes quantities', () => {
    expect([cpuMillicores('500m'), cpuMillicores('2'), cpuMillicores(0.5), cpuMillicores('x')]).toEqual([500, 2000, 500, undefined]);
    expect([memoryMiB('512Mi'), memoryMiB('2Gi'), memoryMiB('1G'), memoryMiB(1048576)]).toEqual([512, 2048, 1e9 / 2 ** 20, 1]);
  });

  test('fails: Loki`s default chunks cache (1.2 x 8192 MiB) on 8 GiB nodes, read across the cross-stack reference (before issue 19)', () => {
    const found = podRequestsFitRule.checkApp({ infra: infra(nodeGroup(['m6i.large'])), platform: platform({ loki: loki({ deploymentMode: 'Monolithic' }) }) });
    expect(found).toEqual([
      {
        stack: 'platform',
        resource: 'helm_release.loki',
        attribute: 'values[0]#chunksCache.allocatedMemory',
        problem: expect.stringMatching(/^requests 500m CPU and 9830 MiB memory, more than the largest node of its cluster allocates \(m6i\.large from aws_eks_node_group\.general: \d+m CPU, \d+ MiB\)/),
      },
    ]);
  });

  test('fails: explicit requests too large; passes: requests that fit, or a larger on-demand pool', () => {
    const big = release('app', 'apps', { server: { resources: { requests: { cpu: '4', memory: '1Gi' } } } });
    expect(report(podRequestsFitRule, { infra: infra(nodeGroup(['m6i.large'])), platform: platform({ big }) })).toEqual(['platform helm_release.big values[0]#server.resources.requests']);
    expect(report(podRequestsFitRule, { infra: infra(nodeGroup(['m6i.2xlarge'])), platform: platform({ big }) })).toEqual([]);
    const sized = loki({ chunksCache: { allocatedMemory: 1536 }, resultsCache: { allocatedMemory: 384 } });
    expect(report(podRequestsFitRule, { infra: infra(nodeGroup(['m6i.large'])), platform: platform({ sized }) })).toEqual([]);
  });

  test('spot and tainted pools do not count while an on-demand pool exists', () => {
    const pools = { aws_eks_node_group: { general: { instance_types: ['m6i.large'] }, batch: { instance_types: ['m6i.4xlarge'], capacity_type: 'SPOT' }, gpu: { instance_types: ['m6i.4xlarge'], taint: [{ key: 'gpu', effect: 'NO_SCHEDULE' }] } } };
    expect(report(podRequestsFitRule, { infra: infra(pools), platform: platform({ loki: loki({}) }) })).toHaveLength(1);
  });

  test('passes: a Karpenter NodePool may launch a larger node (within its requirements and CPU limit)', () => {
    const nodePool = (limit: string) => ({
      apiVersion: 'karpenter.sh/v1',
      kind: 'NodePool',
      metadata: { name: 'default' },
      spec: { limits: { cpu: limit }, template: { spec: { requirements: [{ key: 'karpenter.k8s.aws/instance-category', operator: 'In', values: ['m'] }] } } },
    });
    const karpenter = (limit: string) => platform({ loki: loki({}), pools: manifests('karpenter', [nodePool(limit)]) });
    expect(report(podRequestsFitRule, { infra: infra(nodeGroup(['m6i.large'])), platform: karpenter('100') })).toEqual([]);
    // a NodePool limited to 2 vCPUs launches nothing larger than the node group
    expect(report(podRequestsFitRule, { infra: infra(nodeGroup(['m6i.large'])), platform: karpenter('2') })).toHaveLength(1);
  });

  test("fails: a NodePool's instance-cpu requirement keeps its nodes below a pod's request", () => {
    const nodePool = (below: string) => ({
      apiVersion: 'karpenter.sh/v1',
      kind: 'NodePool',
      metadata: { name: 'default' },
      spec: { limits: { cpu: '100' }, template: { spec: { requirements: [{ key: 'karpenter.k8s.aws/instance-cpu', operator: 'Lt', values: [below] }] } } },
    });
    const big = release('app', 'apps', { server: { resources: { requests: { memory: '40Gi' } } } });
    const karpenter = (below: string) => platform({ big, pools: manifests('karpenter', [nodePool(below)]) });
    // nodes of at most 8 vCPUs (m6i.2xlarge, 32 GiB) cannot hold 40 GiB; of at most 16 (m6i.4xlarge, 64 GiB) can
    expect(report(podRequestsFitRule, { infra: infra(nodeGroup(['m6i.large'])), platform: karpenter('9') })).toEqual(['platform helm_release.big values[0]#server.resources.requests']);
    expect(report(podRequestsFitRule, { infra: infra(nodeGroup(['m6i.large'])), platform: karpenter('17') })).toEqual([]);
  });

  test('a chart named like an Object.prototype member (toString, constructor) has no chart-specific requests', () => {
    const named = (chart: string) => release(chart, 'apps', { server: { resources: { requests: { cpu: '100m' } } } });
    expect(report(podRequestsFitRule, { infra: infra(nodeGroup(['m6i.large'])), platform: platform({ a: named('toString'), b: named('constructor'), c: named('__proto__') }) })).toEqual([]);
  });

  test('a pool of a machine type the capacity table does not know makes the check skip its cluster', () => {
    expect(report(podRequestsFitRule, { infra: infra(nodeGroup(['x9.huge'])), platform: platform({ loki: loki({}) }) })).toEqual([]);
  });
});

describe('IDP-APPLY-006: releases Terraform waits for have pods that become Ready without a manual step', () => {
  const vault = (server: object, extra: object = {}) => ({ resource: { helm_release: { vault: release('vault', 'vault', { server }, extra) } } });

  test('fails: Vault with the chart`s default readiness probe (`vault status`: not Ready until initialized and unsealed)', () => {
    expect(report(releaseReadinessRule, { p: vault({ ha: { enabled: true } }) })).toEqual(['p helm_release.vault values']);
    expect(report(releaseReadinessRule, { p: vault({ readinessProbe: { path: '/v1/sys/health?standbyok=true' } }) })).toHaveLength(1);
  });

  test('passes: a health probe that maps sealed and uninitialized to success, or a release Terraform does not wait for', () => {
    expect(report(releaseReadinessRule, { p: vault({ readinessProbe: { path: '/v1/sys/health?standbyok=true&sealedcode=204&uninitcode=204' } }) })).toEqual([]);
    expect(report(releaseReadinessRule, { p: vault({}, { atomic: false, wait: false }) })).toEqual([]);
  });

  test('passes: a chart named like an Object.prototype member (constructor, __proto__) needs no manual step', () => {
    expect(report(releaseReadinessRule, { p: { resource: { helm_release: { a: release('constructor', 'a', {}), b: release('__proto__', 'b', {}), c: release('toString', 'c', {}) } } } })).toEqual([]);
  });
});
