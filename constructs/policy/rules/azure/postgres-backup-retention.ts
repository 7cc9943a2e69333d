import type { Rule } from '../../rule';
import { Tier } from '../../../core/tiers';

/** Minimum days of flexible server backups (point-in-time restore window) per tier. */
export const MIN_POSTGRES_BACKUP_RETENTION_DAYS: Readonly<Record<Tier, number>> = { dev: 7, staging: 7, prod: 30 };

/** IDP-AZ-022: a PostgreSQL flexible server keeps backups long enough (7 days, 30 in prod). */
export const postgresBackupRetentionRule: Rule = {
  id: 'IDP-AZ-022',
  severity: 'error',
  summary: `PostgreSQL flexible server keeps backups at least ${MIN_POSTGRES_BACKUP_RETENTION_DAYS.dev} days (${MIN_POSTGRES_BACKUP_RETENTION_DAYS.prod} in prod)`,
  fix: 'Set backup_retention_days to at least 7, 30 in prod (at most 35; databases[].backupRetentionDays).',
  appliesTo: ['azurerm_postgresql_flexible_server'],
  check(server, context) {
    if (server.create_mode === 'Replica') return 'not-applicable';
    const days = server.backup_retention_days ?? 7; // the service default
    if (typeof days !== 'number') return 'compliant'; // a reference: cannot judge
    return days >= MIN_POSTGRES_BACKUP_RETENTION_DAYS[context.tier] ? 'compliant' : 'non-compliant';
  },
};
