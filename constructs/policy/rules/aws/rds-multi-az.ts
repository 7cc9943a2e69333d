import type { Rule } from '../../rule';
import { isReference } from '../../private/terraform-json';

/**
 * IDP-AWS-020: a prod RDS instance runs Multi-AZ, with a synchronous standby in another zone that
 * takes over in a minute or two when the primary's zone or host fails. Read replicas are not
 * checked (their source is). Off in dev, where a single zone is the cheaper, accepted trade-off.
 */
export const rdsMultiAzRule: Rule = {
  id: 'IDP-AWS-020',
  severity: { dev: 'off', staging: 'warning', prod: 'error' },
  summary: 'RDS instance is Multi-AZ (a standby in another availability zone)',
  fix: 'Set multi_az = true (databases[].highAvailability; idpkit does by default in staging and prod).',
  appliesTo: ['aws_db_instance'],
  check(db) {
    if (typeof db.replicate_source_db === 'string') return 'not-applicable';
    return db.multi_az === true || isReference(db.multi_az) ? 'compliant' : 'non-compliant';
  },
};
