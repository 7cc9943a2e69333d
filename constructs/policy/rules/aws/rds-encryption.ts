import type { Rule } from '../../rule';

/** IDP-AWS-003: an RDS instance or cluster encrypts storage with a customer-managed KMS key. */
export const rdsEncryptionRule: Rule = {
  id: 'IDP-AWS-003',
  severity: 'error',
  summary: 'RDS storage is encrypted with a customer-managed KMS key',
  fix: 'Set storage_encrypted = true and kms_key_id to a customer-managed key (changing either replaces the database: restore from a snapshot).',
  appliesTo: ['aws_db_instance', 'aws_rds_cluster'],
  check(db) {
    if (typeof db.replicate_source_db === 'string') return 'not-applicable';
    return db.storage_encrypted === true && Boolean(db.kms_key_id) ? 'compliant' : 'non-compliant';
  },
};
