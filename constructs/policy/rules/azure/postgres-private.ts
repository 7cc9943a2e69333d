import type { Rule } from '../../rule';

/** IDP-AZ-001: a PostgreSQL flexible server has public network access disabled. */
export const postgresPrivateRule: Rule = {
  id: 'IDP-AZ-001',
  severity: 'error',
  summary: 'PostgreSQL flexible server has public network access disabled',
  fix: 'Set public_network_access_enabled = false and reach the server through VNet integration or a private endpoint.',
  appliesTo: ['azurerm_postgresql_flexible_server'],
  check(server) {
    return server.public_network_access_enabled === false ? 'compliant' : 'non-compliant'; // azurerm 4 defaults it to true
  },
};
