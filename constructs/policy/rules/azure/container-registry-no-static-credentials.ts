import type { Rule } from '../../rule';

/**
 * IDP-AZ-007: a container registry accepts Entra ID tokens only: no admin user (a static
 * username and password with push rights) and no anonymous pull.
 */
export const containerRegistryNoStaticCredentialsRule: Rule = {
  id: 'IDP-AZ-007',
  severity: 'error',
  summary: 'Container registry has the admin user and anonymous pull disabled (Entra ID tokens only)',
  fix: 'Set admin_enabled = false and anonymous_pull_enabled = false; grant AcrPull or AcrPush to identities (registry.grantPull).',
  appliesTo: ['azurerm_container_registry'],
  check(registry) {
    return registry.admin_enabled === true || registry.anonymous_pull_enabled === true ? 'non-compliant' : 'compliant'; // both default to false
  },
};
