import type { Rule } from '../../rule';

/** IDP-AWS-005: a prod RDS instance or cluster has deletion protection. */
export const rdsDeletionProtectionRule: Rule = {
  id: 'IDP-AWS-005',
  severity: { dev: 'off', staging: 'off', prod: 'error' },
  summary: 'RDS database has deletion protection',
  fix: 'Set deletion_protection = true (idpkit does in prod).',
  appliesTo: ['aws_db_instance', 'aws_rds_cluster'],
  check(db) {
    return db.deletion_protection === true ? 'compliant' : 'non-compliant';
  },
};
