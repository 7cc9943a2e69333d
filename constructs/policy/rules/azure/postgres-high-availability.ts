import type { Rule } from '../../rule';
import { block } from '../../private/terraform-json';

/** High availability modes of a flexible server. */
const HA_MODES = ['ZoneRedundant', 'SameZone'];

/**
 * IDP-AZ-024: a PostgreSQL flexible server has a synchronous standby (`high_availability`,
 * zone-redundant where the location has zones). Off in dev, a warning in staging, an error in prod.
 */
export const postgresHighAvailabilityRule: Rule = {
  id: 'IDP-AZ-024',
  severity: { dev: 'off', staging: 'warning', prod: 'error' },
  summary: 'PostgreSQL flexible server has high availability (a zone-redundant standby)',
  fix: 'Add high_availability { mode = "ZoneRedundant" } on a General Purpose or Memory Optimized SKU (Burstable has no HA; databases[].highAvailability).',
  appliesTo: ['azurerm_postgresql_flexible_server'],
  check(server) {
    if (server.create_mode === 'Replica') return 'not-applicable';
    const mode = block(server.high_availability)?.mode;
    return typeof mode === 'string' && HA_MODES.includes(mode) ? 'compliant' : 'non-compliant';
  },
};
