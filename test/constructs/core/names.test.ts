import { closeMatches, fitName } from '../../../constructs/core/names';

describe('fitName', () => {
  test('keeps a name that fits', () => {
    expect(fitName('idp-dev', 30, '-loki')).toBe('idp-dev-loki');
  });

  test('cuts the head and adds a hash of the full name where it does not fit, keeping the tail', () => {
    const secrets = fitName('idp-large-gcp-staging', 30, '-external-secrets');
    const dns = fitName('idp-large-gcp-staging', 30, '-external-dns');
    expect(secrets).toMatch(/^idp-la-[0-9a-f]{6}-external-secrets$/);
    expect(dns).toMatch(/^idp-large-[0-9a-f]{6}-external-dns$/);
    // A plain cut at 30 characters gives both "idp-large-gcp-staging-external".
    expect(secrets).not.toBe(dns);
    expect(fitName('idp-large-gcp-staging', 30, '-external-secrets')).toBe(secrets);
  });

  test('cuts the tail too when it leaves no room for the head', () => {
    const name = fitName('idp', 12, '-a-very-long-workload');
    expect(name).toMatch(/^idp-a-[0-9a-f]{6}$/);
    expect(name).toHaveLength(12);
  });
});

describe('closeMatches', () => {
  test('lists the nearest names first, ignoring case, and none that are far off', () => {
    expect(closeMatches('m7i.lage', ['m7i.large', 'm7i.xlarge', 'c7i.large', 'r5.24xlarge'])).toEqual(['m7i.large', 'c7i.large', 'm7i.xlarge']);
    expect(closeMatches('STANDARD_D4S_V5', ['Standard_D4s_v5'])).toEqual(['Standard_D4s_v5']);
    expect(closeMatches('Mars/Olympus_Mons', ['Europe/Berlin', 'Etc/UTC'])).toEqual([]);
  });
});
