import type { Rule } from '../../rule';
import { block, isReference } from '../../private/terraform-json';

/**
 * IDP-GCP-016: a prod Cloud SQL instance is regional (`settings.availability_type = "REGIONAL"`):
 * a standby in another zone, on a synchronously replicated disk, takes over when the primary's
 * zone or host fails. Read replicas are not checked. Off in dev, where a zonal instance is the
 * cheaper, accepted trade-off.
 *
 * @see https://cloud.google.com/sql/docs/postgres/high-availability
 */
export const cloudSqlHaRule: Rule = {
  id: 'IDP-GCP-016',
  severity: { dev: 'off', staging: 'warning', prod: 'error' },
  summary: 'Cloud SQL instance is highly available (availability_type REGIONAL)',
  fix: 'Set settings.availability_type = "REGIONAL" (databases[].highAvailability; idpkit does by default in staging and prod).',
  appliesTo: ['google_sql_database_instance'],
  check(instance) {
    if (typeof instance.master_instance_name === 'string' && instance.master_instance_name !== '') return 'not-applicable';
    const type = block(instance.settings)?.availability_type;
    return type === 'REGIONAL' || isReference(type) ? 'compliant' : 'non-compliant'; // the provider's default is ZONAL
  },
};
