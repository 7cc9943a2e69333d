import type { Rule } from '../../rule';
import { resourcesOf } from '../../private/terraform-json';
import { refersTo } from './shared';

/** `ssl_min_protocol_version` values below TLS 1.2. */
const WEAK_TLS = ['TLSv1', 'TLSv1.1'];

/**
 * IDP-AZ-025: a PostgreSQL flexible server enforces TLS 1.2+: no
 * `azurerm_postgresql_flexible_server_configuration` of the server turns `require_secure_transport`
 * off or lowers `ssl_min_protocol_version` below TLS 1.2 (the service defaults are on and TLS 1.2).
 */
export const postgresTlsRule: Rule = {
  id: 'IDP-AZ-025',
  severity: 'error',
  summary: 'PostgreSQL flexible server enforces TLS 1.2 or later (require_secure_transport not off)',
  fix: 'Remove the configuration setting require_secure_transport = "off" (or set it "on") and keep ssl_min_protocol_version at "TLSv1.2" or later.',
  appliesTo: ['azurerm_postgresql_flexible_server'],
  check(_server, context) {
    const settings = Object.values(resourcesOf(context.document, 'azurerm_postgresql_flexible_server_configuration')).filter((setting) =>
      refersTo(setting.server_id, 'azurerm_postgresql_flexible_server', context.name),
    );
    const weakened = settings.some((setting) => {
      const value = String(setting.value ?? '').trim();
      if (setting.name === 'require_secure_transport') return ['off', 'false', '0'].includes(value.toLowerCase());
      return setting.name === 'ssl_min_protocol_version' && WEAK_TLS.includes(value);
    });
    return weakened ? 'non-compliant' : 'compliant';
  },
};
