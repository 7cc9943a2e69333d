import { IdpkitError } from '../../../core/errors';
import type { ProvisionRequest, Provisioned, ResourceProvisioner, WorkloadPlatform } from '../types';
import { DNS_SUBDOMAIN, availableClasses, paramError, readParams, refuseUnavailable } from './objects';

/** Why `dns` is not available: it needs external-dns and its zone, and is never in a preview. */
function platformProblem(platform: WorkloadPlatform, preview: boolean): string | undefined {
  if (preview) return 'type "dns" is not available in previews: a preview\'s files are the same for every pull request, so their host names would collide';
  if (!platform.addons.includes('externalDns') || !platform.dnsZone) return 'type "dns" needs external-dns writing a DNS zone: enable platform.addons.externalDns with a zone (platform.addons.externalDns.zone)';
  return undefined;
}

/** `params.host` if given (inside the zone), else `<instance>.<zone>`. */
function hostOf(request: ProvisionRequest, zone: string): string {
  const { host } = readParams(request, { host: { kind: 'text', pattern: DNS_SUBDOMAIN, expected: 'a host name (lowercase letters, digits, "-" and ".", e.g. shop.apps.acme.example)' } });
  if (host === undefined) {
    const made = `${request.instanceName}.${zone}`;
    if (made.length > 253) throw new IdpkitError('IDPKIT_INVALID_INPUT', [`${request.at}: the host "${made}" is longer than 253 characters: give params.host`]);
    return made;
  }
  const name = host as string;
  if (name !== zone && !name.endsWith(`.${zone}`)) paramError(request, 'host', name, `is outside the DNS zone "${zone}" external-dns writes (use a name ending in .${zone})`);
  return name;
}

/**
 * `dns`: a host name in the environment's DNS zone. It makes no object: external-dns writes the
 * record when a route (Ingress or HTTPRoute) names the host.
 */
export const dnsProvisioner: ResourceProvisioner = {
  type: 'dns',
  description: 'A host name in the DNS zone external-dns writes (the record follows the route that uses it)',
  classes: [],
  outputs: { host: 'value' },
  unavailable(platform, resourceClass, preview) {
    return platformProblem(platform, preview) ?? (resourceClass === undefined ? undefined : `class "${resourceClass}" is not a class of dns: leave class out (${availableClasses([])})`);
  },
  provision(request): Provisioned {
    refuseUnavailable(dnsProvisioner, request);
    return { objects: [], outputs: { host: { value: hostOf(request, request.platform.dnsZone!) } } };
  },
};
