import type { Rule } from '../../rule';

/** IDP-AWS-004: an RDS instance is not publicly accessible. */
export const rdsNotPublicRule: Rule = {
  id: 'IDP-AWS-004',
  severity: 'error',
  summary: 'RDS instance is not publicly accessible',
  fix: 'Set publicly_accessible = false (or leave it unset) and reach the database from the VPC.',
  appliesTo: ['aws_db_instance'],
  check(db) {
    return db.publicly_accessible === true ? 'non-compliant' : 'compliant';
  },
};
