import type { Rule } from '../../rule';
import { block } from '../../private/terraform-json';

/** IDP-GCP-002: a prod Cloud SQL instance has deletion protection (Terraform's and the API's). */
export const cloudSqlDeletionProtectionRule: Rule = {
  id: 'IDP-GCP-002',
  severity: { dev: 'off', staging: 'off', prod: 'error' },
  summary: 'Cloud SQL instance has deletion protection',
  fix: 'Leave deletion_protection at true (the provider default) and set settings.deletion_protection_enabled = true.',
  appliesTo: ['google_sql_database_instance'],
  check(instance) {
    if (instance.deletion_protection === false) return 'non-compliant';
    return block(instance.settings)?.deletion_protection_enabled === false ? 'non-compliant' : 'compliant';
  },
};
