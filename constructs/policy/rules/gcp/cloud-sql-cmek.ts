import type { Rule } from '../../rule';

/**
 * IDP-GCP-017: a Cloud SQL instance encrypts its data, backups and logs with a customer-managed
 * Cloud KMS key (`encryption_key_name`, set at creation only).
 *
 * @see https://cloud.google.com/sql/docs/postgres/cmek
 */
export const cloudSqlCmekRule: Rule = {
  id: 'IDP-GCP-017',
  severity: 'error',
  summary: 'Cloud SQL instance is encrypted with a customer-managed Cloud KMS key',
  fix: 'Set encryption_key_name on the google_sql_database_instance to a Cloud KMS key in its region, granted to the Cloud SQL service agent (set at creation: an existing instance must be recreated, e.g. restored from a backup).',
  appliesTo: ['google_sql_database_instance'],
  check(instance) {
    return typeof instance.encryption_key_name === 'string' && instance.encryption_key_name !== '' ? 'compliant' : 'non-compliant';
  },
};
