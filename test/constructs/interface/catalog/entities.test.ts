import {
  MAX_ENTITY_NAME_LENGTH,
  componentEntity,
  entityRef,
  groupEntity,
  isEntityName,
  locationEntity,
  parseEntityRef,
  resourceEntity,
  toEntityName,
} from '../../../../constructs/interface/catalog/entities';
import { entityProblems } from '../../../support/backstage';

describe('Backstage entity names', () => {
  test('isEntityName follows Backstage: letters and digits in runs separated by single "-", "_" or ".", at most 63', () => {
    expect(['dev', 'dev-cluster', 'Platform_Team', 'v1.2.3', 'a'.repeat(63)].filter(isEntityName)).toHaveLength(5);
    expect(['', '-dev', 'dev-', 'dev--cluster', 'dev/cluster', 'platform team', 'a'.repeat(64)].filter(isEntityName)).toEqual([]);
  });

  test('toEntityName keeps valid names and turns others into valid ones', () => {
    expect(toEntityName('platform-team')).toBe('platform-team');
    expect(toEntityName('Platform Team')).toBe('Platform-Team');
    expect(toEntityName('alias/idpkit/dev/ecr')).toBe('alias-idpkit-dev-ecr');
    expect(toEntityName('dev-registry-repository-apps--hello-world')).toBe('dev-registry-repository-apps-hello-world');
    expect(toEntityName('  --team (ops)-- ')).toBe('team-ops');
    expect(toEntityName('—')).toMatch(/^entity-[0-9a-f]{8}$/);
  });

  test('toEntityName shortens long names with a hash of the original, so two long names stay apart', () => {
    const long = `dev-${'x'.repeat(70)}`;
    const a = toEntityName(`${long}-a`);
    const b = toEntityName(`${long}-b`);
    expect(a).toHaveLength(MAX_ENTITY_NAME_LENGTH);
    expect(isEntityName(a) && isEntityName(b)).toBe(true);
    expect(a).not.toBe(b);
    expect(toEntityName(`${long}-a`)).toBe(a);
  });
});

describe('entity references', () => {
  test('entityRef writes kind:namespace/name, the kind lowercase', () => {
    expect(entityRef('Group', 'platform-team')).toBe('group:default/platform-team');
    expect(entityRef('Resource', 'dev-cluster', 'infra')).toBe('resource:infra/dev-cluster');
  });

  test('parseEntityRef reads the full and the short forms, with the field default kind', () => {
    expect(parseEntityRef('resource:default/dev-cluster')).toEqual({ kind: 'resource', namespace: 'default', name: 'dev-cluster' });
    expect(parseEntityRef('platform-team', 'group')).toEqual({ kind: 'group', namespace: 'default', name: 'platform-team' });
    expect(parseEntityRef('System:dev')).toEqual({ kind: 'system', namespace: 'default', name: 'dev' });
    expect(parseEntityRef('dev-cluster')).toBeUndefined();
    expect(parseEntityRef('a:b:c', 'group')).toBeUndefined();
  });
});

describe('entity builders', () => {
  test('leave out unset and empty fields, sort dependsOn, keep the required empty children of a Group', async () => {
    const resource = resourceEntity(
      { name: 'dev-cluster', title: 'idp-dev', labels: {}, annotations: undefined, links: [] },
      { type: 'kubernetes-cluster', owner: 'group:default/platform', system: 'system:default/dev', dependsOn: ['resource:default/dev-network', 'resource:default/dev-key', 'resource:default/dev-network'] },
    );
    expect(resource).toEqual({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Resource',
      metadata: { name: 'dev-cluster', title: 'idp-dev' },
      spec: { type: 'kubernetes-cluster', owner: 'group:default/platform', system: 'system:default/dev', dependsOn: ['resource:default/dev-key', 'resource:default/dev-network'] },
    });
    const group = groupEntity({ name: 'platform' }, { type: 'team', children: [] });
    expect(group.spec).toEqual({ type: 'team', children: [] });
    const component = componentEntity({ name: 'dev-argocd' }, { type: 'platform-addon', lifecycle: 'dev', owner: 'group:default/platform', dependsOn: [] });
    expect(component.spec).toEqual({ type: 'platform-addon', lifecycle: 'dev', owner: 'group:default/platform' });
    const location = locationEntity({ name: 'all' }, ['./platform.yaml']);
    expect(location.spec).toEqual({ type: 'url', targets: ['./platform.yaml'] });
    expect(await entityProblems([resource, group, component, location])).toEqual([]);
  });
});
