import { STANDARD_TAG_KEYS, TAG_LIMITS, tagProblems } from '../../../../constructs/integration/provider/tag-rules';

const standard = { owner: 'platform-team', costCenter: 'platform' };
const messages = (cloud: 'aws' | 'azure' | 'gcp', tags: Record<string, string>, values = standard) => tagProblems(cloud, tags, values).map((p) => `${p.path.join('.')}: ${p.message}`);

describe('tagProblems', () => {
  test('accepts the shipped kinds of tags on every cloud', () => {
    for (const cloud of ['aws', 'azure', 'gcp'] as const) expect(messages(cloud, { 'Data-Classification': 'Internal', team: 'payments' })).toEqual([]);
    expect(STANDARD_TAG_KEYS).toEqual(['environment', 'owner', 'cost-center', 'managed-by']);
  });

  test('AWS: no aws: prefix, keys to 128 and values to 256 characters of the allowed set, 50 tags a resource', () => {
    expect(messages('aws', { 'aws:team': 'x', 'AWS:x': 'y' })).toEqual([
      'tags.aws:team: has a key starting with "aws:", which AWS reserves',
      'tags.AWS:x: has a key starting with "aws:", which AWS reserves',
    ]);
    expect(messages('aws', { ['k'.repeat(129)]: 'x' })[0]).toContain('has a key longer than the 128 characters of an AWS tag key');
    expect(messages('aws', { team: 'v'.repeat(257) })).toEqual([`tags.team: is longer than the 256 characters of an AWS tag value (it is the value of a tag on every resource)`]);
    expect(messages('aws', { 'team#': 'a&b' })).toEqual([
      'tags.team#: has a key with characters an AWS tag key cannot hold (allowed: letters, digits, spaces and _ . : / = + - @)',
      'tags.team#: holds characters an AWS tag value cannot (allowed: letters, digits, spaces and _ . : / = + - @)',
    ]);
    const allowed = TAG_LIMITS.aws.maxTags - STANDARD_TAG_KEYS.length - TAG_LIMITS.aws.perResourceHeadroom;
    const many = (count: number) => Object.fromEntries(Array.from({ length: count }, (_, i) => [`k${i}`, 'v']));
    expect(messages('aws', many(allowed))).toEqual([]);
    expect(messages('aws', many(allowed + 1))).toEqual([
      `tags: has ${allowed + 1} tags; a resource takes at most 50 AWS tags, of which idpkit needs ${50 - allowed} (the standard tags and per-resource ones): allowed ${allowed}`,
    ]);
    expect(messages('aws', {}, { owner: 'a<b>', costCenter: 'platform' })).toEqual(['owner: holds characters an AWS tag value cannot (allowed: letters, digits, spaces and _ . : / = + - @)']);
  });

  test('standard tags are idpkit\'s own; an empty key is no tag', () => {
    expect(messages('aws', { owner: 'x', '': 'y' })).toEqual([
      'tags.owner: is the standard tag "owner" that idpkit sets itself (from name, owner and costCenter): remove it or set that field',
      'tags.: has an empty key',
    ]);
  });

  test('Azure: none of < > % & \\ ? / in keys, keys compared ignoring case', () => {
    expect(messages('azure', { 'a/b': 'x', Team: '1', team: '2', 'Cost-Center': 'c' })).toEqual([
      'tags.a/b: has a key with characters an Azure tag key cannot hold (none of < > % & \\ ? /)',
      'tags.team: becomes the same Azure tag key "team" as tag "Team": rename one',
      'tags.Cost-Center: is the standard tag "cost-center" that idpkit sets itself (from name, owner and costCenter): remove it or set that field',
    ]);
  });

  test('GCP: label keys and values to 63 characters once idpkit writes them as labels, none two tags share', () => {
    expect(messages('gcp', { ['k'.repeat(64)]: 'x', ['1'.repeat(62)]: 'x', team: 'v'.repeat(64), 'A B': '1', 'a-b': '2' })).toEqual([
      `tags.${'k'.repeat(64)}: has a key longer than the 63 characters of a GCP label key`,
      `tags.${'1'.repeat(62)}: has a key longer than the 63 characters of a GCP label key`,
      'tags.team: is longer than the 63 characters of a GCP label value (it is the value of a tag on every resource)',
      'tags.a-b: becomes the same GCP label key "a-b" as tag "A B": rename one',
    ]);
  });
});
