import { IdpkitError } from '../../../constructs/core/errors';
import { TENANT_QUOTA_DEFAULTS } from '../../../constructs/orchestration/tenancy/tenancy';
import { dev, prod } from '../../../environments';
import { azureDev, gcpDev } from '../../../environments/examples';
import { validateEnvironment } from '../../../environments/types';
import { TEAM_DEFAULTS, validateTeamConfig } from '../../../stacks/team';
import { clone, devConfig } from '../../helpers';

const base = () => ({ team: 'payments', owner: 'payments-team', environment: clone(dev), members: { admin: 'payments-admins' } });

/** The problems a config is refused with (fails when it is accepted). */
function problemsOf(config: unknown, source?: string): readonly string[] {
  try {
    validateTeamConfig(config, source);
  } catch (error) {
    if (!(error instanceof IdpkitError)) throw error;
    return error.problems;
  }
  throw new Error('expected the config to be refused');
}

const codeOf = (config: unknown): string => {
  try {
    validateTeamConfig(config);
  } catch (error) {
    return (error as IdpkitError).code;
  }
  return 'accepted';
};

describe('validateTeamConfig', () => {
  test('fills in every default: cost center and quota from the environment, empty lists', () => {
    const team = validateTeamConfig(base());
    expect(team).toMatchObject({
      team: 'payments',
      costCenter: 'platform',
      members: { admin: 'payments-admins', edit: [], view: [] },
      quota: TENANT_QUOTA_DEFAULTS.dev,
      repositories: [],
      databases: [],
      buckets: [],
      workloads: [],
    });
    expect(team.environment.name).toBe('dev');
  });

  test('quota fields left out take the tier default; databases and buckets get their defaults', () => {
    const team = validateTeamConfig({
      ...base(),
      environment: clone(prod),
      quota: { cpu: '32' },
      databases: [{ name: 'orders' }],
      buckets: [{ name: 'receipts', serviceAccounts: ['api', 'api'] }],
    });
    expect(team.quota).toEqual({ ...TENANT_QUOTA_DEFAULTS.prod, cpu: '32' });
    expect(team.databases).toEqual([{ name: 'orders', size: TEAM_DEFAULTS.databaseSize, storageGiB: TEAM_DEFAULTS.databaseStorageGiB }]);
    expect(team.buckets).toEqual([{ name: 'receipts', serviceAccounts: ['api'], versioning: false, expiryDays: undefined }]);
  });

  test('takes the environment as a config or as an environment validated already (e.g. loaded from JSON)', () => {
    const validated = validateEnvironment(clone(dev));
    expect(validateTeamConfig({ ...base(), environment: JSON.parse(JSON.stringify(validated)) }).environment).toEqual(validated);
  });

  test('throws when a field is wrong, naming the team, the field, the value and what is allowed', () => {
    const problems = problemsOf(
      {
        ...base(),
        team: 'Payments',
        owner: ' ',
        costCenter: 'cost center',
        members: { admin: 'system:masters', edit: [''] },
        quota: { cpu: '10x', memory: '100m', pods: 0 },
        repositories: ['API', 'api', 'api'],
        databases: [{ name: 'o', size: 'huge', storageGiB: 5 }],
        buckets: [{ name: 'Receipts', serviceAccounts: ['API'], expiryDays: 0 }],
        workloads: [42],
        color: 'blue',
      },
      'team.json',
    );
    const expected = [
      /^team "Payments" \(team\.json\): team "Payments" is not a DNS label/,
      /: owner " " is empty/,
      /: costCenter "cost center" is not a Kubernetes label value/,
      /: members\.admin "system:masters" is a Kubernetes system group/,
      /: members\.edit\[0\] "" is empty/,
      /: quota\.cpu "10x" is not a CPU quantity/,
      /: quota\.memory "100m" is in millibytes/,
      /: quota\.pods 0 is not a whole number of pods/,
      /: repositories\[0\] "API" is not a repository name/,
      /: databases\[0\]\.name "o" is not a name/,
      /: databases\[0\]\.size "huge" is not a database size \(allowed: small, medium, large, xlarge\)/,
      /: databases\[0\]\.storageGiB 5 is below 20 GiB/,
      /: buckets\[0\]\.name "Receipts" is not a name/,
      /: buckets\[0\]\.serviceAccounts\[0\] "API" is not a service account name/,
      /: buckets\[0\]\.expiryDays 0 must be at least 1 day/,
      /: workloads\[0\] 42 is not a Score file path or a parsed Score workload/,
      /has unknown field\(s\) color/,
    ];
    for (const pattern of expected) expect(problems).toContainEqual(expect.stringMatching(pattern));
    expect(codeOf({ ...base(), team: 'Payments' })).toBe('IDPKIT_INVALID_TEAM');
  });

  test('throws when required fields are missing', () => {
    const problems = problemsOf({ team: 'payments' });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^team "payments": owner \(missing\) is required$/),
        expect.stringMatching(/: members \(missing\) is required/),
        expect.stringMatching(/: environment \(missing\) is required \(the platform environment/),
      ]),
    );
  });

  test('throws on names listed twice', () => {
    const problems = problemsOf({ ...base(), repositories: ['api', 'api'], databases: [{ name: 'orders' }, { name: 'orders' }], buckets: [{ name: 'logs' }, { name: 'logs' }] });
    expect(problems).toEqual([
      expect.stringMatching(/repositories\[1\] "api" is also repositories\[0\]/),
      expect.stringMatching(/databases\[1\]\.name "orders" is also the name of databases\[0\]/),
      expect.stringMatching(/buckets\[1\]\.name "logs" is also the name of buckets\[0\]/),
    ]);
  });

  test("problems of the environment come from the environment schema, naming the team's config", () => {
    expect(() => validateTeamConfig({ ...base(), environment: devConfig((c) => (c.network.cidr = '10.0.0.0/33')) }, 'team.json')).toThrow(
      /environment "dev" \(team "payments" \(team\.json\): environment\): network\.cidr "10\.0\.0\.0\/33"/,
    );
  });

  test("throws when member groups are not what the environment's cloud puts in tokens", () => {
    expect(problemsOf({ ...base(), environment: clone(azureDev), members: { admin: 'payments-admins', view: ['auditors'] } })).toEqual([
      expect.stringMatching(/members\.admin "payments-admins" is not an Entra ID group object id .* \(environment "azure-dev" runs on azure\)/),
      expect.stringMatching(/members\.view\[0\] "auditors" is not an Entra ID group object id/),
    ]);
    expect(problemsOf({ ...base(), environment: clone(gcpDev) })).toEqual([expect.stringMatching(/members\.admin "payments-admins" is not a Google Group e-mail/)]);
  });

  test('throws when the environment has the team as a tenant already, keeps local state, or cannot give a database', () => {
    const tenant = devConfig((c) => (c.platform.addons.tenancy = { enabled: true, teams: [{ name: 'payments', adminGroup: 'payments-admins' }] }));
    expect(problemsOf({ ...base(), environment: tenant })).toEqual([expect.stringMatching(/team "payments" is also a tenant of environment "dev" \(platform\.addons\.tenancy\.teams\)/)]);
    expect(problemsOf({ ...base(), environment: devConfig((c) => (c.state = { backend: 'local' })) })).toEqual([
      expect.stringMatching(/environment\.state\.backend "local" is "local": a team stack reads the platform's stacks through remote state/),
    ]);
    const azureGroup = '00000000-0000-0000-0000-0000000000b1';
    expect(problemsOf({ ...base(), environment: clone(azureDev), members: { admin: azureGroup }, databases: [{ name: 'orders' }] })).toEqual([
      expect.stringMatching(/databases\[0\] .* needs the PostgreSQLInstance API, which environment "azure-dev" does not run/),
    ]);
  });

  test("throws when a database is larger than the tier allows", () => {
    expect(problemsOf({ ...base(), databases: [{ name: 'orders', size: 'large' }] })).toEqual([
      expect.stringMatching(/databases\[0\]\.size "large" has 4 vCPUs, above the dev tier's limit of 2 \(allowed in dev: small, medium\)/),
    ]);
  });
});
