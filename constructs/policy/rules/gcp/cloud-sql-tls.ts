import type { Rule } from '../../rule';
import { block, isReference } from '../../private/terraform-json';

/** `ssl_mode` values that refuse unencrypted connections. */
export const CLOUD_SQL_TLS_MODES = ['ENCRYPTED_ONLY', 'TRUSTED_CLIENT_CERTIFICATE_REQUIRED'];

/**
 * IDP-GCP-015: a Cloud SQL instance refuses unencrypted connections
 * (`settings.ip_configuration.ssl_mode`). The default, `ALLOW_UNENCRYPTED_AND_ENCRYPTED`, lets a
 * client send credentials and data in clear text over the network. Connections through the Cloud
 * SQL Auth Proxy and connectors are encrypted either way.
 *
 * @see https://cloud.google.com/sql/docs/postgres/configure-ssl-instance
 */
export const cloudSqlTlsRule: Rule = {
  id: 'IDP-GCP-015',
  severity: 'error',
  summary: 'Cloud SQL instance enforces TLS (ssl_mode ENCRYPTED_ONLY or TRUSTED_CLIENT_CERTIFICATE_REQUIRED)',
  fix: 'Set settings.ip_configuration.ssl_mode = "ENCRYPTED_ONLY" (or "TRUSTED_CLIENT_CERTIFICATE_REQUIRED" to also require client certificates).',
  appliesTo: ['google_sql_database_instance'],
  check(instance) {
    const mode = block(block(instance.settings)?.ip_configuration)?.ssl_mode;
    return isReference(mode) || (typeof mode === 'string' && CLOUD_SQL_TLS_MODES.includes(mode)) ? 'compliant' : 'non-compliant';
  },
};
