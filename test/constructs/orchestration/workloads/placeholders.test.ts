import {
  kubernetesLiteral,
  referencedResources,
  referenceParts,
  resolvePlaceholders,
  splitPlaceholders,
  substituteText,
  substituteValue,
  variableEnv,
  type PlaceholderScope,
} from '../../../../constructs/orchestration/workloads/placeholders';

const AT = 'web/score.yaml: containers.main.variables.X';

const scope: PlaceholderScope = {
  metadata: { name: 'web', team: 'shop', annotations: { 'example.com/owner': 'ana', 'tier.level': 'gold' }, replicas: 3 },
  resources: {
    db: {
      type: 'postgres',
      outputs: {
        host: { value: 'web-db.shop.svc' },
        port: { value: '5432' },
        username: { secret: { name: 'web-db-app', key: 'username' } },
        password: { secret: { name: 'web-db-app', key: 'password' } },
      },
    },
    data: { type: 'volume', outputs: {} },
    pending: { type: 'redis' },
  },
};

describe('splitPlaceholders', () => {
  it('reads ${...} as references, $${ as a literal ${ and $$ as a literal $, as score-go does', () => {
    expect(splitPlaceholders('a ${metadata.name} b $${metadata.name} c $$ d $x')).toEqual([{ text: 'a ' }, { ref: 'metadata.name' }, { text: ' b ${metadata.name} c $ d $x' }]);
    expect(splitPlaceholders('${a}${b}')).toEqual([{ ref: 'a' }, { ref: 'b' }]);
  });

  it('splits references on dots but not on escaped dots', () => {
    expect(referenceParts('metadata.annotations.example\\.com/owner')).toEqual(['metadata', 'annotations', 'example.com/owner']);
  });
});

describe('resolvePlaceholders', () => {
  it('resolves metadata keys (annotations with escaped dots; other values as JSON) and value outputs', () => {
    const text = (source: string) => substituteText(source, scope, AT, 'a test').text;
    expect(text('${metadata.name}/${metadata.team}')).toBe('web/shop');
    expect(text('${metadata.annotations.example\\.com/owner} ${metadata.annotations.tier\\.level}')).toBe('ana gold');
    expect(text('${metadata.replicas}')).toBe('3');
    expect(text('postgres://${resources.db.host}:${resources.db.port}')).toBe('postgres://web-db.shop.svc:5432');
  });

  it('reports unknown roots, metadata keys, resources and outputs, naming file, field and what exists', () => {
    const problems = (source: string) => resolvePlaceholders(source, scope, AT).problems;
    expect(problems('${HOME}')).toEqual([
      `${AT}: placeholder \${HOME} is unknown (placeholders are \${metadata.<key>} and \${resources.<name>.<output>}; write $\${ for a literal "\${" and $$ for a literal "$")`,
    ]);
    expect(problems('${metadata.owner}')).toEqual([`${AT}: placeholder \${metadata.owner} is unknown: metadata has no key "owner" (keys: annotations, name, replicas, team; escape dots in keys as "\\.")`]);
    expect(problems('${resources.cache.host}')).toEqual([`${AT}: placeholder \${resources.cache.host} names no resource of this workload (resources: db, data, pending)`]);
    expect(problems('${resources.db.hostname}')).toEqual([`${AT}: placeholder \${resources.db.hostname} is unknown: resource "db" (type postgres) has no output "hostname" (outputs: host, password, port, username)`]);
    expect(problems('${resources.db}')).toEqual([
      `${AT}: placeholder \${resources.db} names a resource, not one of its outputs: write \${resources.db.<output>} (outputs of "db" (type postgres): host, password, port, username)`,
    ]);
  });

  it('gives the resource name for ${resources.<name>} where a volume source is expected', () => {
    expect(resolvePlaceholders('${resources.data}', scope, AT, true).pieces).toEqual([{ text: 'data' }]);
  });

  it('marks a value naming a resource that could not be provisioned as incomplete, without a problem of its own', () => {
    expect(resolvePlaceholders('${resources.pending.host}', scope, AT)).toEqual({ pieces: [], problems: [], incomplete: true });
  });
});

describe('substituteText and substituteValue', () => {
  it('refuse secret outputs in file content or params, telling to use a variable', () => {
    expect(substituteText('password=${resources.db.password}', scope, 'web/score.yaml: containers.main.files["/etc/app.conf"]', 'file content').problems).toEqual([
      'web/score.yaml: containers.main.files["/etc/app.conf"]: ${resources.db.password} is a secret output and cannot go into file content: pass it to the container through a variable (containers.<name>.variables), which reads it from its Secret',
    ]);
  });

  it('resolve every string inside params, keeping keys, numbers and booleans', () => {
    const problems: string[] = [];
    const { value } = substituteValue({ host: '${resources.db.host}', list: ['${metadata.name}', 2], nested: { on: true } }, scope, 'web/score.yaml: resources.route.params', 'resource params', problems);
    expect(value).toEqual({ host: 'web-db.shop.svc', list: ['web', 2], nested: { on: true } });
    expect(problems).toEqual([]);
  });

  it('names the param path of a problem', () => {
    const problems: string[] = [];
    substituteValue({ nested: { host: '${resources.nope.host}' } }, scope, 'web/score.yaml: resources.route.params', 'resource params', problems);
    expect(problems).toEqual(['web/score.yaml: resources.route.params.nested.host: placeholder ${resources.nope.host} names no resource of this workload (resources: db, data, pending)']);
  });
});

describe('referencedResources', () => {
  it('lists the resources named in every string of a value', () => {
    expect(referencedResources({ a: '${resources.dns.host}', b: ['x ${resources.db.port}', '$${resources.no.port}'], c: 1 })).toEqual(['dns', 'db']);
  });
});

describe('variableEnv', () => {
  it('makes a variable that is exactly one secret output a secretKeyRef', () => {
    expect(variableEnv('DB_PASSWORD', '${resources.db.password}', scope, AT)).toEqual({
      env: { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'web-db-app', key: 'password' } } },
      helpers: [],
      problems: [],
      incomplete: false,
    });
  });

  it('reads each secret of a mixed value from a helper variable through $(VAR) expansion, never the value', () => {
    const result = variableEnv('DATABASE_URL', 'postgres://${resources.db.username}:${resources.db.password}@${resources.db.host}/$(literal)', scope, AT);
    expect(result.env).toEqual({ name: 'DATABASE_URL', value: 'postgres://$(IDPKIT_SECRET_DB_USERNAME):$(IDPKIT_SECRET_DB_PASSWORD)@web-db.shop.svc/$$(literal)' });
    expect(result.helpers).toEqual([
      { name: 'IDPKIT_SECRET_DB_USERNAME', valueFrom: { secretKeyRef: { name: 'web-db-app', key: 'username' } } },
      { name: 'IDPKIT_SECRET_DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'web-db-app', key: 'password' } } },
    ]);
  });

  it('escapes text so that Kubernetes takes it literally', () => {
    expect(variableEnv('PRICE', 'costs 5$ or $$(x) or $${y}', scope, AT).env).toEqual({ name: 'PRICE', value: 'costs 5$ or $$(x) or ${y}' });
  });
});

describe('kubernetesLiteral', () => {
  it('doubles every $ before $ or (, including one before the next piece', () => {
    expect(kubernetesLiteral('$(HOME) $$ $x $')).toBe('$$(HOME) $$$ $x $');
    expect(kubernetesLiteral('pre$', '$')).toBe('pre$$');
    expect(kubernetesLiteral('pre$', '')).toBe('pre$');
  });
});
