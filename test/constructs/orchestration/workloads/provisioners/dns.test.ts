import { dnsProvisioner } from '../../../../../constructs/orchestration/workloads/provisioners/dns';
import type { WorkloadPlatform } from '../../../../../constructs/orchestration/workloads/types';
import { platformOf, requestOf } from './fixtures';

const dns = (platform: WorkloadPlatform, params?: Record<string, unknown>) => dnsProvisioner.provision(requestOf(platform, { type: 'dns', params }, { resourceName: 'dns' }));

describe('dns', () => {
  it('makes a host in the zone from the instance name, and no object', () => {
    expect(dns(platformOf())).toEqual({ objects: [], outputs: { host: { value: 'orders-dns.apps.acme.example' } } });
  });

  it('takes a host inside the zone', () => {
    expect(dns(platformOf(), { host: 'shop.apps.acme.example' }).outputs.host).toEqual({ value: 'shop.apps.acme.example' });
    expect(dns(platformOf(), { host: 'apps.acme.example' }).outputs.host).toEqual({ value: 'apps.acme.example' });
  });

  it('throws when the host is outside the zone or not a host name', () => {
    expect(() => dns(platformOf(), { host: 'shop.acme.example' })).toThrow(
      'score.yaml: resources.dns.params.host "shop.acme.example" is outside the DNS zone "apps.acme.example" external-dns writes (use a name ending in .apps.acme.example)',
    );
    expect(() => dns(platformOf(), { host: 'evilapps.acme.example' })).toThrow(/is outside the DNS zone/);
    expect(() => dns(platformOf(), { host: 'Shop_1.apps.acme.example' })).toThrow('score.yaml: resources.dns.params.host "Shop_1.apps.acme.example" is not a host name');
  });

  it('needs external-dns with a zone, and is refused in previews', () => {
    const message = 'type "dns" needs external-dns writing a DNS zone: enable platform.addons.externalDns with a zone (platform.addons.externalDns.zone)';
    expect(dnsProvisioner.unavailable(platformOf({ addons: [] }), undefined, false)).toBe(message);
    expect(dnsProvisioner.unavailable(platformOf({ dnsZone: undefined }), undefined, false)).toBe(message);
    expect(dnsProvisioner.unavailable(platformOf(), undefined, true)).toMatch(/^type "dns" is not available in previews/);
    expect(dnsProvisioner.unavailable(platformOf(), undefined, false)).toBeUndefined();
    expect(() => dns(platformOf({ addons: [] }))).toThrow(`score.yaml: resources.dns: ${message}`);
  });
});
