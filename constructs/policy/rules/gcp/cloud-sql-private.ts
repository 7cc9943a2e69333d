import type { Rule } from '../../rule';
import { block } from '../../private/terraform-json';

/** IDP-GCP-001: a Cloud SQL instance has no public IPv4 address. */
export const cloudSqlPrivateRule: Rule = {
  id: 'IDP-GCP-001',
  severity: 'error',
  summary: 'Cloud SQL instance has no public IP (ip_configuration.ipv4_enabled = false)',
  fix: 'Set settings.ip_configuration.ipv4_enabled = false with private_network set (private services access).',
  appliesTo: ['google_sql_database_instance'],
  check(instance) {
    const ip = block(block(instance.settings)?.ip_configuration);
    return ip?.ipv4_enabled === false ? 'compliant' : 'non-compliant'; // the provider defaults ipv4_enabled to true
  },
};
