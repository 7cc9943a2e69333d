import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXIT_POLICY_ERRORS } from '../../cli/check';
import { SARIF_VERSION } from '../../constructs/policy/sarif';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from '../../cli/io';
import { severityIn } from '../../constructs/policy/engine';
import { ALL_RULES, APPLY_RULES, EVERY_RULE } from '../../constructs/policy/rules';
import { scanDirectoryForSecrets } from '../../constructs/policy/secrets';
import { idpkit, tempDir } from './cli-helpers';

/** Writes hand-written Terraform JSON stacks as a cdktf.out directory (stacks/<name>/cdk.tf.json, no manifest). */
function writeOut(stacks: Record<string, object>): string {
  const dir = tempDir('idpkit-check-');
  for (const [name, json] of Object.entries(stacks)) {
    mkdirSync(join(dir, 'stacks', name), { recursive: true });
    writeFileSync(join(dir, 'stacks', name, 'cdk.tf.json'), JSON.stringify(json));
  }
  return dir;
}

const lockedBackend = { s3: { bucket: 'state', key: 'k', region: 'eu-west-1', encrypt: true, use_lockfile: true } };

/** A non-compliant stack not written by idpkit: one violation per rule listed in `expected`. */
const nonCompliant = {
  terraform: { backend: { s3: { bucket: 'state', key: 'k', region: 'eu-west-1' } } },
  resource: {
    aws_db_instance: { db: { publicly_accessible: true, backup_retention_period: 1 } },
    aws_ecr_repository: { repo: { name: 'app', image_tag_mutability: 'MUTABLE' } },
    aws_iam_policy: { admin: { policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }) } },
    google_storage_bucket: { logs: { name: 'logs', location: 'EU' } },
    helm_release: { vault: { chart: 'vault', repository: 'https://helm.releases.hashicorp.com', values: ['server:\n  dev:\n    enabled: true\n'] } },
  },
};
const expected = [
  ['IDP-TF-001', undefined],
  ['IDP-TF-004', 'aws_db_instance.db'],
  ['IDP-TF-004', 'aws_ecr_repository.repo'],
  ['IDP-TF-004', 'google_storage_bucket.logs'],
  ['IDP-AWS-003', 'aws_db_instance.db'],
  ['IDP-AWS-004', 'aws_db_instance.db'],
  ['IDP-AWS-005', 'aws_db_instance.db'],
  ['IDP-AWS-006', 'aws_db_instance.db'],
  ['IDP-AWS-010', 'aws_ecr_repository.repo'],
  ['IDP-AWS-011', 'aws_iam_policy.admin'],
  ['IDP-AWS-012', 'aws_iam_policy.admin'],
  ['IDP-AWS-016', 'aws_ecr_repository.repo'],
  ['IDP-AWS-020', 'aws_db_instance.db'],
  ['IDP-GCP-004', 'google_storage_bucket.logs'],
  ['IDP-GCP-020', 'google_storage_bucket.logs'],
  ['IDP-K8S-001', 'helm_release.vault'],
  ['IDP-K8S-002', 'helm_release.vault'],
  ['IDP-K8S-004', 'helm_release.vault'],
  // the apply pack: Terraform waits for Vault, whose default readiness probe fails until `vault operator init`
  ['IDP-APPLY-006', 'helm_release.vault'],
];

describe('idpkit check', () => {
  test('reports each violation of hand-written non-compliant Terraform JSON (json), and exits 4', async () => {
    const dir = writeOut({ legacy: nonCompliant, clean: { terraform: { backend: lockedBackend } } });
    const result = await idpkit(['check', dir, '--format', 'json']);
    expect(result.code).toBe(EXIT_POLICY_ERRORS);
    const report = JSON.parse(result.stdout);
    expect(report.findings.map((f: any) => [f.rule, f.resource])).toEqual(expected);
    expect(report.findings.every((f: any) => f.stack === 'legacy' && f.file === 'stacks/legacy/cdk.tf.json')).toBe(true);
    expect(report).toMatchObject({ tier: 'prod', errors: 18, warnings: 1 });
  });

  test('--tier dev applies dev severities: prod-only rules are off, others may become warnings', async () => {
    const dir = writeOut({ legacy: nonCompliant });
    const report = JSON.parse((await idpkit(['check', dir, '--format', 'json', '--tier', 'dev'])).stdout);
    expect(report.findings.map((f: any) => f.rule)).not.toContain('IDP-AWS-005');
    expect(report.findings.find((f: any) => f.rule === 'IDP-TF-001').severity).toBe('warning');
  });

  test('writes SARIF 2.1.0: every rule in the driver, results with ruleId, level and the stack file as location', async () => {
    const dir = writeOut({ legacy: nonCompliant });
    const result = await idpkit(['check', dir, '--format', 'sarif']);
    const sarif = JSON.parse(result.stdout);
    expect(sarif.version).toBe(SARIF_VERSION);
    const run = sarif.runs[0];
    expect(run.tool.driver.rules.map((rule: any) => rule.id)).toEqual(EVERY_RULE.map((rule) => rule.id));
    expect(run.results).toHaveLength(expected.length);
    expect(run.results.find((result: any) => result.ruleId === 'IDP-AWS-003')).toMatchObject({
      ruleId: 'IDP-AWS-003',
      level: 'error',
      locations: [{ physicalLocation: { artifactLocation: { uri: 'stacks/legacy/cdk.tf.json' } }, logicalLocations: [{ name: 'aws_db_instance.db' }] }],
    });
  });

  test('prints a table grouped by stack, and exits 0 when only warnings are found', async () => {
    const warnOnly = {
      terraform: { backend: lockedBackend },
      resource: { aws_iam_role_policy: { writer: { policy: JSON.stringify({ Statement: [{ Effect: 'Allow', Action: ['s3:PutObject'], Resource: '*' }] }) } } },
    };
    const result = await idpkit(['check', writeOut({ app: warnOnly })], { cwd: '/' });
    expect(result.code).toBe(EXIT_OK);
    expect(result.stdout).toContain('app\n');
    expect(result.stdout).toContain('IDP-AWS-012');
    expect(result.stdout).toContain('0 error(s), 1 warning(s)');
  });

  test('exits 0 with "No findings" on a clean directory', async () => {
    const result = await idpkit(['check', writeOut({ clean: { terraform: { backend: lockedBackend } } })]);
    expect(result).toMatchObject({ code: EXIT_OK, stdout: expect.stringContaining('No findings') });
  });

  describe('--suppressions <file>', () => {
    /** A policy file beside the output, in the format of an environment's `policy` field. */
    const policyFile = (text: string, name = 'policy.yaml') => {
      const file = join(tempDir('idpkit-policy-'), name);
      writeFileSync(file, text);
      return file;
    };
    const budgetBackend = { terraform: { backend: lockedBackend } };
    const admin = {
      ...budgetBackend,
      resource: { aws_iam_policy: { admin: { policy: JSON.stringify({ Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }) } } },
    };

    test('accepts the findings a suppression names, with its reason, and exits 0 when nothing else is wrong', async () => {
      const file = policyFile(
        ['suppressions:', ...['IDP-AWS-011', 'IDP-AWS-012'].flatMap((rule) => [`  - rule: ${rule}`, '    resource: aws_iam_policy.admin', '    reason: break-glass role, reviewed quarterly'])].join('\n'),
      );
      const result = await idpkit(['check', writeOut({ app: admin }), '--format', 'json', '--suppressions', file]);
      expect(result.code).toBe(EXIT_OK);
      const report = JSON.parse(result.stdout);
      expect(report.findings).toEqual([]);
      expect(report.suppressed.map((f: any) => [f.rule, f.resource, f.reason])).toEqual([
        ['IDP-AWS-011', 'aws_iam_policy.admin', 'break-glass role, reviewed quarterly'],
        ['IDP-AWS-012', 'aws_iam_policy.admin', 'break-glass role, reviewed quarterly'],
      ]);
    });

    test('SARIF lists suppressed findings as results with an accepted external suppression', async () => {
      const file = policyFile(JSON.stringify({ suppressions: [{ rule: 'IDP-AWS-011', resource: 'aws_iam_policy.admin', reason: 'break-glass' }] }), 'policy.json');
      const sarif = JSON.parse((await idpkit(['check', writeOut({ app: admin }), '--format', 'sarif', '--suppressions', file])).stdout);
      const results = sarif.runs[0].results;
      expect(results.find((r: any) => r.ruleId === 'IDP-AWS-012').suppressions).toBeUndefined();
      expect(results.find((r: any) => r.ruleId === 'IDP-AWS-011').suppressions).toEqual([{ kind: 'external', status: 'accepted', justification: 'break-glass' }]);
    });

    test('a suppression matching no finding is an error finding (exit 4), named with the file', async () => {
      const file = policyFile('suppressions:\n  - rule: IDP-AWS-005\n    resource: aws_db_instance.gone\n    reason: old\n');
      const result = await idpkit(['check', writeOut({ app: budgetBackend }), '--suppressions', file]);
      expect(result.code).toBe(EXIT_POLICY_ERRORS);
      expect(result.stdout).toContain('IDP-POLICY-001');
      // The table wraps the message where the path's length puts it: JSON has it whole.
      const report = JSON.parse((await idpkit(['check', writeOut({ app: budgetBackend }), '--format', 'json', '--suppressions', file])).stdout);
      expect(report.findings.find((f: any) => f.rule === 'IDP-POLICY-001')).toMatchObject({ severity: 'error', message: `${file}: suppressions[0] (IDP-AWS-005 on aws_db_instance.gone) matches no finding` });
    });

    test('exits 1 naming the file, the field and the value when a suppression has no reason or an unknown field', async () => {
      const file = policyFile('suppressions:\n  - rule: IDP-AWS-011\n    resource: aws_iam_policy.admin\n    reason: ""\n    owner: me\n');
      const result = await idpkit(['check', writeOut({ app: admin }), '--suppressions', file]);
      expect(result.code).toBe(EXIT_FAILURE);
      expect(result.stderr).toContain(`${file}: suppressions[0].reason "" is empty (say why the finding is accepted)`);
      expect(result.stderr).toContain('has unknown field(s) owner');
    });
  });

  describe('on a directory of hand-written non-compliant Terraform JSON (test/fixtures/noncompliant-out)', () => {
    /**
     * A legacy estate written by hand, laid out like a cdktf.out without a manifest: legacy-aws,
     * legacy-azure, legacy-gcp and legacy-k8s, legacy-infra (an `-infra` stack without a budget) and
     * bootstrap-legacy-tfstate (a state bootstrap stack, which IDP-AZ-009 checks). Every rule of
     * ALL_RULES has at least one violation there.
     */
    const fixture = join(__dirname, '../fixtures/noncompliant-out');
    const ruleIds = (findings: any[]): string[] => [...new Set(findings.map((f) => f.rule as string))].sort();
    // The resource and stack rules, and the apply rule its dev-mode Vault also breaks (default readiness probe).
    const allIds = [...ALL_RULES.map((rule) => rule.id), 'IDP-APPLY-006'].sort();
    const prodOnly = ALL_RULES.filter((rule) => severityIn(rule, 'dev') === 'off').map((rule) => rule.id);

    test('holds no literal secret (the secret scanner finds nothing)', () => {
      expect(scanDirectoryForSecrets(fixture)).toEqual([]);
    });

    test('at tier prod, every rule reports its violation, and the check exits 4', async () => {
      const result = await idpkit(['check', fixture, '--format', 'json']);
      expect(result.code).toBe(EXIT_POLICY_ERRORS);
      const report = JSON.parse(result.stdout);
      expect(report.tier).toBe('prod');
      // A rule missing here has no violation in the fixture: add one to the stack of its cloud (apply rules: test/fixtures/apply-defects-out).
      expect(ruleIds(report.findings)).toEqual(allIds);
      expect([...new Set(report.findings.map((f: any) => f.stack))]).toEqual([
        'bootstrap-legacy-tfstate',
        'legacy-aws',
        'legacy-azure',
        'legacy-gcp',
        'legacy-infra',
        'legacy-k8s',
      ]);
    });

    test('reports what a reviewer would point at, by rule, stack and Terraform address', async () => {
      const report = JSON.parse((await idpkit(['check', fixture, '--format', 'json'])).stdout);
      const addresses = report.findings.map((f: any) => [f.rule, f.stack, f.resource]);
      expect(addresses).toEqual(
        expect.arrayContaining([
          // the orders database answers on a public address, unencrypted, on PostgreSQL 13 without rds.force_ssl
          ['IDP-AWS-004', 'legacy-aws', 'aws_db_instance.orders_db'],
          ['IDP-AWS-003', 'legacy-aws', 'aws_db_instance.orders_db'],
          ['IDP-AWS-025', 'legacy-aws', 'aws_db_instance.orders_db'],
          // a bucket policy that grants public reads does not make the bucket TLS-only
          ['IDP-AWS-024', 'legacy-aws', 'aws_s3_bucket.assets'],
          // the CI user has a static access key and an Action "*" policy
          ['IDP-AWS-022', 'legacy-aws', 'aws_iam_access_key.ci_deployer'],
          ['IDP-AWS-011', 'legacy-aws', 'aws_iam_policy.ci_deploy'],
          // GitHub OIDC trust for every repository of the organisation
          ['IDP-AWS-013', 'legacy-aws', 'aws_iam_role.github_actions_deploy'],
          // a vpc-cni add-on without enableNetworkPolicy does not enforce NetworkPolicies
          ['IDP-AWS-026', 'legacy-aws', 'aws_eks_cluster.main'],
          // the AKS cluster keeps local accounts (a static admin kubeconfig) and has no workload identity
          ['IDP-AZ-003', 'legacy-azure', 'azurerm_kubernetes_cluster.legacy'],
          ['IDP-AZ-018', 'legacy-azure', 'azurerm_kubernetes_cluster.legacy'],
          // its diagnostic setting collects kube-apiserver logs but not the audit log
          ['IDP-AZ-020', 'legacy-azure', 'azurerm_kubernetes_cluster.legacy'],
          // require_secure_transport turned off on the PostgreSQL server
          ['IDP-AZ-025', 'legacy-azure', 'azurerm_postgresql_flexible_server.legacy'],
          // the state account of the bootstrap stack is open to every network (a warning by design)
          ['IDP-AZ-009', 'bootstrap-legacy-tfstate', 'azurerm_storage_account.tfstate'],
          // the GKE cluster has no Workload Identity, is zonal and open to 0.0.0.0/0
          ['IDP-GCP-009', 'legacy-gcp', 'google_container_cluster.legacy'],
          ['IDP-GCP-013', 'legacy-gcp', 'google_container_cluster.legacy'],
          ['IDP-GCP-011', 'legacy-gcp', 'google_container_cluster.legacy'],
          // the uploads bucket is readable by allUsers
          ['IDP-GCP-023', 'legacy-gcp', 'google_storage_bucket_iam_member.legacy_uploads_public_read'],
          // the GitHub provider pins the owner, not the repository
          ['IDP-GCP-021', 'legacy-gcp', 'google_iam_workload_identity_pool_provider.github'],
          // Vault runs in dev mode (in memory, unsealed), from an unpinned chart version
          ['IDP-K8S-002', 'legacy-k8s', 'helm_release.vault'],
          ['IDP-K8S-001', 'legacy-k8s', 'helm_release.vault'],
          // Argo CD creates its own namespace, which cannot carry a Pod Security label
          ['IDP-K8S-003', 'legacy-k8s', 'helm_release.argocd'],
          // stack findings: local state outside a bootstrap stack, an -infra stack without a budget
          ['IDP-TF-001', 'legacy-k8s', undefined],
          ['IDP-TF-002', 'legacy-infra', undefined],
        ]),
      );
      // a compliant backend (encrypted, DynamoDB-locked) is not reported; a bootstrap stack may keep local state
      expect(addresses).not.toContainEqual(['IDP-TF-001', 'legacy-infra', undefined]);
      expect(addresses).not.toContainEqual(['IDP-TF-001', 'bootstrap-legacy-tfstate', undefined]);
    });

    test('--tier dev: prod-only rules (off in dev) are absent, every other rule still reports', async () => {
      const result = await idpkit(['check', fixture, '--format', 'json', '--tier', 'dev']);
      expect(result.code).toBe(EXIT_POLICY_ERRORS);
      const report = JSON.parse(result.stdout);
      expect(report.tier).toBe('dev');
      expect(prodOnly).toEqual(expect.arrayContaining(['IDP-TF-004', 'IDP-AWS-005', 'IDP-AWS-020', 'IDP-GCP-013', 'IDP-K8S-004']));
      const reported = ruleIds(report.findings);
      expect(reported.filter((id) => prodOnly.includes(id))).toEqual([]);
      // IDP-AZ-022 passes in dev: psql-legacy keeps 7 days of backups, dev's minimum (prod's is 30).
      expect(reported).toEqual(allIds.filter((id) => !prodOnly.includes(id) && id !== 'IDP-AZ-022'));
      expect(report.findings.find((f: any) => f.rule === 'IDP-TF-001').severity).toBe('warning');
    });
  });

  describe('on an app with the defects of issue 19, extracted from main before it (test/fixtures/apply-defects-out)', () => {
    const fixture = join(__dirname, '../fixtures/apply-defects-out');

    test('reports each one, naming the stack, the resource, the attribute and the fix, and exits 4', async () => {
      const result = await idpkit(['check', fixture, '--format', 'json']);
      expect(result.code).toBe(EXIT_POLICY_ERRORS);
      const findings = JSON.parse(result.stdout).findings.filter((f: any) => f.rule.startsWith('IDP-APPLY-'));
      expect(findings.map((f: any) => [f.rule, f.stack, f.resource, f.path])).toEqual(
        expect.arrayContaining([
          // item 2: Grafana's admin Secret, item 3: Backstage's database Secret, and the preview token: nothing creates them
          ['IDP-APPLY-001', 'dev-platform', 'helm_release.kube-prometheus-stack_release_61BA0F8D', 'resource.helm_release.kube-prometheus-stack_release_61BA0F8D.values[0]#grafana.admin.existingSecret'],
          ['IDP-APPLY-001', 'dev-platform', 'helm_release.backstage_release_1952FB72', 'resource.helm_release.backstage_release_1952FB72.values[0]#backstage.extraEnvVars[0].valueFrom.secretKeyRef.name'],
          ['IDP-APPLY-001', 'dev-platform', 'helm_release.argocd_applications_release_F8AF8E4B', expect.stringContaining('tokenRef.secretName')],
          // item 5: the Loki role's policy repeats Sids
          ['IDP-APPLY-002', 'staging-infra', 'aws_iam_role_policy.identity-loki_role_inline-policy_3B8A56F5', 'resource.aws_iam_role_policy.identity-loki_role_inline-policy_3B8A56F5.policy'],
          // item 6: dev and staging share an account and region, and both create the repositories
          ['IDP-APPLY-003', 'staging-infra', 'aws_ecr_repository.registry_repository-apps--hello-world_FA6F8C9F', 'resource.aws_ecr_repository.registry_repository-apps--hello-world_FA6F8C9F.name'],
          ['IDP-APPLY-003', 'staging-infra', 'aws_ecr_repository.registry_repository-platform--backstage_8CF48F2F', 'resource.aws_ecr_repository.registry_repository-platform--backstage_8CF48F2F.name'],
          // items 7, 8, 9, 10: a resource group, a state bucket, the workload pool and a service agent named by literal
          ['IDP-APPLY-004', 'azure-dev-infra', 'azurerm_user_assigned_identity.identity-external-secrets_identity_D1216B23', expect.stringContaining('.resource_group_name')],
          ['IDP-APPLY-004', 'bootstrap-acme-idp-dev-tfstate', 'google_storage_bucket_iam_member.ci-gcp-dev_plan-state-read_DC0CB932', expect.stringContaining('.bucket')],
          ['IDP-APPLY-004', 'gcp-prod-infra', 'google_service_account_iam_member.identity-vault_workload-identity-user_CBCC1A23', expect.stringContaining('.member')],
          ['IDP-APPLY-004', 'gcp-prod-infra', expect.stringContaining('grant-cloud-sql-agent'), expect.stringContaining('.member')],
          // item 17: Loki's chunks cache asks 9.6 GiB on 8 GiB nodes (staging without Karpenter)
          ['IDP-APPLY-005', 'staging-platform', 'helm_release.loki_release_FDE55659', 'resource.helm_release.loki_release_FDE55659.values[0]#chunksCache.allocatedMemory'],
          // item 1: Vault's release waits for pods its default readiness probe keeps unready until `vault operator init`
          ['IDP-APPLY-006', 'dev-platform', 'helm_release.vault_release_A92D5AC8', 'resource.helm_release.vault_release_A92D5AC8.values'],
        ]),
      );
      const grafana = findings.find((f: any) => f.path.endsWith('#grafana.admin.existingSecret'));
      expect(grafana.message).toBe(
        'helm_release.kube-prometheus-stack_release_61BA0F8D values[0]#grafana.admin.existingSecret: names Secret "grafana-admin" in namespace "monitoring", which nothing in the stack creates',
      );
      expect(grafana.fix).toBe(APPLY_RULES[0].fix);
      // every rule of the apply pack finds something there
      expect([...new Set(findings.map((f: any) => f.rule))].sort()).toEqual(APPLY_RULES.map((rule) => rule.id));
    });
  });

  test('exits 1 on a directory that is not a cdktf.out, 2 on a bad option', async () => {
    expect((await idpkit(['check', tempDir()])).code).toBe(EXIT_FAILURE);
    expect((await idpkit(['check', writeOut({ s: {} }), '--tier', 'qa'])).code).toBe(EXIT_USAGE);
    expect((await idpkit(['check', writeOut({ s: {} }), '--format', 'xml'])).code).toBe(EXIT_USAGE);
  });
});
