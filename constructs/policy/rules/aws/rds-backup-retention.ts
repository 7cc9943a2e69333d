import type { Rule } from '../../rule';
import { Tier } from '../../../core/tiers';

/** Minimum days of automated backups per tier. */
export const MIN_BACKUP_RETENTION_DAYS: Readonly<Record<Tier, number>> = { dev: 7, staging: 7, prod: 30 };

/** IDP-AWS-006: an RDS database keeps automated backups long enough (7 days, 30 in prod). */
export const rdsBackupRetentionRule: Rule = {
  id: 'IDP-AWS-006',
  severity: 'error',
  summary: `RDS automated backups are kept at least ${MIN_BACKUP_RETENTION_DAYS.dev} days (${MIN_BACKUP_RETENTION_DAYS.prod} in prod)`,
  fix: 'Set backup_retention_period to at least 7 days, 30 in prod (databases[].backupRetentionDays).',
  appliesTo: ['aws_db_instance', 'aws_rds_cluster'],
  check(db, context) {
    if (typeof db.replicate_source_db === 'string') return 'not-applicable';
    const days = db.backup_retention_period;
    if (typeof days !== 'number') return 'non-compliant'; // the provider's default is 1 day (instances) or 1 (clusters)
    return days >= MIN_BACKUP_RETENTION_DAYS[context.tier] ? 'compliant' : 'non-compliant';
  },
};
