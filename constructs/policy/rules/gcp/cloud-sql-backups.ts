import type { Rule } from '../../rule';
import { Tier } from '../../../core/tiers';
import { block, isReference } from '../../private/terraform-json';

/** Fewest automated backups kept, per tier. */
export const MIN_CLOUD_SQL_RETAINED_BACKUPS: Readonly<Record<Tier, number>> = { dev: 7, staging: 7, prod: 30 };

/** Backups Cloud SQL keeps when `backup_retention_settings` is unset. */
const DEFAULT_RETAINED_BACKUPS = 7;

/** Whether a boolean setting is on, or given by reference (which the rule cannot judge). */
const on = (value: unknown): boolean => value === true || isReference(value);

/**
 * IDP-GCP-014: a Cloud SQL instance takes daily automated backups with point-in-time recovery
 * (`point_in_time_recovery_enabled`; on MySQL, `binary_log_enabled` also counts) and keeps at least
 * 7 backups, 30 in prod (`backup_retention_settings.retained_backups`, 7 when unset). Read
 * replicas are not checked (their primary is).
 *
 * @see https://cloud.google.com/sql/docs/postgres/backup-recovery/backups
 * @see https://cloud.google.com/sql/docs/postgres/backup-recovery/pitr
 */
export const cloudSqlBackupsRule: Rule = {
  id: 'IDP-GCP-014',
  severity: 'error',
  summary: `Cloud SQL has automated backups with point-in-time recovery, at least ${MIN_CLOUD_SQL_RETAINED_BACKUPS.dev} kept (${MIN_CLOUD_SQL_RETAINED_BACKUPS.prod} in prod)`,
  fix: 'Set settings.backup_configuration { enabled = true, point_in_time_recovery_enabled = true (binary_log_enabled on MySQL), backup_retention_settings { retained_backups = 7, or 30 in prod } } (databases[].backupRetentionDays).',
  appliesTo: ['google_sql_database_instance'],
  check(instance, context) {
    if (typeof instance.master_instance_name === 'string' && instance.master_instance_name !== '') return 'not-applicable';
    const backup = block(block(instance.settings)?.backup_configuration);
    if (!backup || !on(backup.enabled)) return 'non-compliant';
    const mysql = typeof instance.database_version === 'string' && instance.database_version.startsWith('MYSQL');
    if (!on(backup.point_in_time_recovery_enabled) && !(mysql && on(backup.binary_log_enabled))) return 'non-compliant';
    const retained = block(backup.backup_retention_settings)?.retained_backups ?? DEFAULT_RETAINED_BACKUPS;
    if (isReference(retained)) return 'compliant';
    return typeof retained === 'number' && retained >= MIN_CLOUD_SQL_RETAINED_BACKUPS[context.tier] ? 'compliant' : 'non-compliant';
  },
};
