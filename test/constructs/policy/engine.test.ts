import { applySuppressions, checkStack, severityIn, SUPPRESSION_RULE_ID } from '../../../constructs/policy/engine';
import { rdsDeletionProtectionRule, rdsNotPublicRule } from '../../../constructs/policy/rules/aws';
import { ALL_RULES } from '../../../constructs/policy/rules';

/** A stack with one public, single-zone database without deletion protection or prevent_destroy. */
const stack = {
  terraform: { backend: { s3: { bucket: 'b', encrypt: true, use_lockfile: true } } },
  resource: { aws_db_instance: { db: { storage_encrypted: true, kms_key_id: 'k', publicly_accessible: true, deletion_protection: false, backup_retention_period: 30 } } },
};

describe('checkStack', () => {
  test('reports non-compliant resources with rule, severity, stack, file, address, path and fix', () => {
    const findings = checkStack(stack, { stack: 'prod-platform', tier: 'prod', rules: [rdsNotPublicRule] });
    expect(findings).toEqual([
      {
        rule: 'IDP-AWS-004',
        severity: 'error',
        stack: 'prod-platform',
        file: 'stacks/prod-platform/cdk.tf.json',
        resource: 'aws_db_instance.db',
        path: 'resource.aws_db_instance.db',
        message: 'aws_db_instance.db does not meet: RDS instance is not publicly accessible',
        fix: rdsNotPublicRule.fix,
      },
    ]);
  });

  test('severity follows the tier: a prod-only rule is off in dev; the default tier is prod', () => {
    expect(checkStack(stack, { stack: 's', tier: 'dev', rules: [rdsDeletionProtectionRule] })).toEqual([]);
    expect(checkStack(stack, { stack: 's', rules: [rdsDeletionProtectionRule] }).map((f) => f.severity)).toEqual(['error']);
    expect(severityIn(rdsDeletionProtectionRule, 'staging')).toBe('off');
  });

  test('runs every pack by default', () => {
    expect(checkStack(stack, { stack: 's' }).map((f) => f.rule)).toEqual(['IDP-TF-004', 'IDP-AWS-004', 'IDP-AWS-005', 'IDP-AWS-020']);
  });
});

describe('rules', () => {
  test('ids are unique and follow IDP-<PACK>-NNN', () => {
    const ids = ALL_RULES.map((rule) => rule.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^IDP-(TF|AWS|AZ|GCP|K8S)-\d{3}$/);
  });
});

describe('applySuppressions', () => {
  const findings = checkStack(stack, { stack: 'prod-platform', rules: [rdsNotPublicRule, rdsDeletionProtectionRule] });

  test('a suppression with a reason removes the matching finding', () => {
    const outcome = applySuppressions(findings, [{ rule: 'IDP-AWS-005', resource: 'aws_db_instance.db', reason: 'scratch database, recreated nightly' }], 'environment "prod"', 'prod-infra');
    expect(outcome.findings.map((f) => f.rule)).toEqual(['IDP-AWS-004']);
    expect(outcome.suppressed.map((f) => f.rule)).toEqual(['IDP-AWS-005']);
  });

  test('a suppression without a reason does not suppress and is an error', () => {
    const outcome = applySuppressions(findings, [{ rule: 'IDP-AWS-005', resource: 'aws_db_instance.db', reason: ' ' }], 'environment "prod"', 'prod-infra');
    expect(outcome.suppressed).toEqual([]);
    expect(outcome.findings.find((f) => f.rule === SUPPRESSION_RULE_ID)).toMatchObject({ severity: 'error', message: expect.stringContaining('has no reason') });
  });

  test('a suppression that matches nothing is an error', () => {
    const outcome = applySuppressions(findings, [{ rule: 'IDP-AWS-005', resource: 'aws_db_instance.other', reason: 'typo' }], 'environment "prod"', 'prod-infra');
    expect(outcome.findings.find((f) => f.rule === SUPPRESSION_RULE_ID)).toMatchObject({
      severity: 'error',
      message: 'environment "prod": policy.suppressions[0] (IDP-AWS-005 on aws_db_instance.other) matches no finding',
    });
  });
});
