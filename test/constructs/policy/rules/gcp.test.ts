import { cloudSqlDeletionProtectionRule, cloudSqlPrivateRule, gkePrivateNodesRule, storageBucketAccessRule } from '../../../../constructs/policy/rules/gcp';
import { verdict } from '../rule-helpers';

describe('IDP-GCP-001 Cloud SQL without public IP', () => {
  test('compliant: ipv4_enabled false', () => {
    expect(verdict(cloudSqlPrivateRule, { settings: { ip_configuration: { ipv4_enabled: false, private_network: '${google_compute_network.vpc.self_link}' } } })).toBe('compliant');
  });
  test('non-compliant: ipv4 on or unset (the provider default is on)', () => {
    expect(verdict(cloudSqlPrivateRule, { settings: { ip_configuration: { ipv4_enabled: true } } })).toBe('non-compliant');
    expect(verdict(cloudSqlPrivateRule, { settings: [{}] })).toBe('non-compliant');
  });
});

describe('IDP-GCP-002 Cloud SQL deletion protection (prod)', () => {
  test('compliant: left at the provider default (true) or set', () => {
    expect(verdict(cloudSqlDeletionProtectionRule, { deletion_protection: true, settings: { deletion_protection_enabled: true } })).toBe('compliant');
    expect(verdict(cloudSqlDeletionProtectionRule, { settings: {} })).toBe('compliant');
  });
  test('non-compliant: turned off', () => {
    expect(verdict(cloudSqlDeletionProtectionRule, { deletion_protection: false, settings: {} })).toBe('non-compliant');
    expect(verdict(cloudSqlDeletionProtectionRule, { settings: { deletion_protection_enabled: false } })).toBe('non-compliant');
  });
});

describe('IDP-GCP-003 GKE private nodes', () => {
  test('compliant', () => expect(verdict(gkePrivateNodesRule, { private_cluster_config: { enable_private_nodes: true } })).toBe('compliant'));
  test('non-compliant: public nodes', () => {
    expect(verdict(gkePrivateNodesRule, { private_cluster_config: { enable_private_nodes: false } })).toBe('non-compliant');
    expect(verdict(gkePrivateNodesRule, {})).toBe('non-compliant');
  });
});

describe('IDP-GCP-004 bucket uniform access and public access prevention', () => {
  test('compliant', () => expect(verdict(storageBucketAccessRule, { uniform_bucket_level_access: true, public_access_prevention: 'enforced' })).toBe('compliant'));
  test('non-compliant: ACLs allowed or prevention inherited', () => {
    expect(verdict(storageBucketAccessRule, { uniform_bucket_level_access: false, public_access_prevention: 'enforced' })).toBe('non-compliant');
    expect(verdict(storageBucketAccessRule, { uniform_bucket_level_access: true, public_access_prevention: 'inherited' })).toBe('non-compliant');
  });
});
