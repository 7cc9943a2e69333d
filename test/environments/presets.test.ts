import { validateEnvironment } from '../../environments/types';
import { IdpkitError } from '../../constructs/core/errors';
import { clone, devConfig, prodConfig } from '../helpers';
import { staging } from '../../environments/staging';
import { azureProd } from '../../environments/examples/azure';

const stagingConfig = (change: (config: any) => void) => {
  const config = clone(staging) as any;
  change(config);
  return config;
};

const problemsOf = (config: unknown): string => {
  try {
    validateEnvironment(config);
  } catch (error) {
    expect(error).toBeInstanceOf(IdpkitError);
    return (error as IdpkitError).message;
  }
  throw new Error('expected a validation error');
};

describe('an environment picks a preset with `size` and overrides any part of it', () => {
  test('the preset turns on its add-ons; the environment turns one off', () => {
    expect(validateEnvironment(prodConfig()).platform?.addons?.istio).toEqual({ enabled: true });
    expect(validateEnvironment(prodConfig((c) => (c.platform.addons.istio = { enabled: false }))).platform?.addons?.istio).toEqual({ enabled: false });
  });

  test('enabling Gatekeeper swaps out the Kyverno a preset chose, without a conflict', () => {
    const large = devConfig((c) => {
      c.size = 'large';
      delete c.platform.addons.kyverno;
      c.platform.addons.gatekeeper = { enabled: true };
    });
    const addons = validateEnvironment(large).platform?.addons;
    expect(addons?.gatekeeper).toEqual({ enabled: true });
    expect(addons?.kyverno).toBeUndefined();
  });

  test('enabling both engines explicitly is still a conflict', () => {
    expect(problemsOf(devConfig((c) => (c.platform.addons.gatekeeper = { enabled: true })))).toContain('conflicts with platform.addons.kyverno.enabled');
  });

  test('the environment replaces the preset databases and node groups; [] means none', () => {
    const env = validateEnvironment(devConfig((c) => (c.databases = [])));
    expect(env.databases).toEqual([]);
    const sized = validateEnvironment(devConfig((c) => delete c.cluster.nodeGroups));
    expect(sized.cluster.nodeGroups).toEqual([{ name: 'general', size: 'medium', minSize: 1, maxSize: 4 }]);
  });

  test('throws when a preset add-on lacks what only the environment can say, naming the preset and how to turn it off', () => {
    const message = problemsOf(devConfig((c) => delete c.platform.addons.backstage));
    expect(message).toContain('platform.addons.backstage.image (missing) is required when backstage is enabled');
    expect(message).toContain('the medium preset enables backstage: set what it asks for, or turn it off with platform.addons.backstage.enabled: false');
  });
});

describe('instance sizes are limited per tier (the reference\'s "limit-instance-sizes")', () => {
  test('throws when a dev database is larger than dev allows, listing the sizes dev allows', () => {
    const message = problemsOf(devConfig((c) => (c.databases = [{ name: 'orders', size: 'xlarge', storageGiB: 64 }])));
    expect(message).toContain('databases[0].size "xlarge" has 8 vCPUs, above the dev tier\'s limit of 2 (allowed in dev: small, medium)');
  });

  test('throws when a dev node group uses a prod-only machine size, abstract or concrete', () => {
    expect(problemsOf(devConfig((c) => (c.cluster.nodeGroups = [{ name: 'big', size: 'xlarge', minSize: 1, maxSize: 2 }])))).toContain(
      'cluster.nodeGroups[0].size "xlarge" has 16 vCPUs per node, above the dev tier\'s limit of 8',
    );
    expect(problemsOf(devConfig((c) => (c.cluster.nodeGroups[0].instanceTypes = ['m6i.4xlarge'])))).toContain('above the dev tier\'s limit of 8');
  });

  test('prod accepts the largest sizes', () => {
    expect(() => validateEnvironment(prodConfig((c) => (c.databases = [{ name: 'orders', size: 'xlarge', storageGiB: 128 }])))).not.toThrow();
  });

  test('throws when two databases share a name', () => {
    expect(problemsOf(devConfig((c) => (c.databases = [{ name: 'orders', size: 'small', storageGiB: 32 }, { name: 'orders', size: 'small', storageGiB: 32 }])))).toContain(
      'databases[1].name "orders" is used by another database',
    );
  });
});

describe('cost controls', () => {
  test('throws when the budget or its recipients are missing', () => {
    expect(problemsOf(devConfig((c) => delete c.budget))).toContain('budget (missing) is required');
    expect(problemsOf(devConfig((c) => (c.alerts.emails = [])))).toContain('alerts.emails [] is empty (name at least one recipient)');
    expect(problemsOf(devConfig((c) => (c.budget.monthlyLimit = 0)))).toContain('budget.monthlyLimit 0 must be more than 0');
  });

  test('throws when off-hours scale-down is asked of a cloud without node pool schedules', () => {
    const azure = devConfig((c) => {
      delete c.aws;
      Object.assign(c, {
        cloud: 'azure',
        azure: { subscriptionId: '00000000-0000-0000-0000-000000000001', tenantId: '00000000-0000-0000-0000-0000000000aa', location: 'westeurope' },
        state: { backend: 'local' },
      });
      c.cluster.adminPrincipal = '00000000-0000-0000-0000-0000000000ad';
      c.cluster.nodeGroups = [{ name: 'general', size: 'small', minSize: 1, maxSize: 3 }];
      c.platform.addons = { ...c.platform.addons, metricsServer: { enabled: false }, awsLoadBalancerController: { enabled: false } };
      c.cluster.offHours = { stop: '0 20 * * 1-5', start: '0 7 * * 1-5' };
    });
    expect(problemsOf(azure)).toContain('cluster.offHours {"stop":"0 20 * * 1-5","start":"0 7 * * 1-5"} is not available on azure: AKS node pools have no scheduled scaling');
  });

  test('throws when the CI repository is not a GitHub owner/repo', () => {
    expect(problemsOf(devConfig((c) => (c.ci.github.owner = '-acme')))).toContain('ci.github.owner "-acme" is not a GitHub owner');
  });
});

describe('databases', () => {
  test('throws when a database asks for its connection details in the cluster without External Secrets', () => {
    const config = stagingConfig((c) => (c.platform.addons.externalSecrets = { enabled: false }));
    expect(problemsOf(config)).toContain('databases[0].externalSecret');
    expect(problemsOf(config)).toContain('needs platform.addons.externalSecrets.enabled: true');
  });
});

describe('what a cloud refuses is refused before synthesis', () => {
  const azureConfig = (change: (config: any) => void) => {
    const config = clone(azureProd) as any;
    change(config);
    return config;
  };

  test('throws when an Azure database is Burstable (small) in a tier that asks for HA', () => {
    expect(problemsOf(azureConfig((c) => (c.databases = [{ name: 'orders', size: 'small', storageGiB: 32 }])))).toContain(
      'databases[0].size "small" is Burstable on Azure, which has no high availability (the prod tier asks for it): use medium or larger, or highAvailability: false',
    );
    expect(() => validateEnvironment(azureConfig((c) => (c.databases = [{ name: 'orders', size: 'small', storageGiB: 32, highAvailability: false }])))).not.toThrow();
  });

  test('throws when Azure storage is not one of the flexible server sizes', () => {
    expect(problemsOf(azureConfig((c) => (c.databases = [{ name: 'orders', size: 'medium', storageGiB: 50 }])))).toContain(
      'databases[0].storageGiB 50 is not a flexible server storage size (allowed: 32, 64, 128',
    );
  });

  test('throws when a database name would make resource names too long', () => {
    expect(problemsOf(devConfig((c) => (c.databases = [{ name: 'a-very-long-database-name', size: 'small', storageGiB: 32 }])))).toContain('is longer than 19 characters');
  });

  test('enabling OpenCost swaps out the Kubecost a preset chose, as Gatekeeper does Kyverno', () => {
    const large = prodConfig((c) => {
      c.size = 'large';
      c.platform.addons.opencost = { enabled: true };
      c.platform.addons.kyverno = { enabled: false };
    });
    const addons = validateEnvironment(large).platform?.addons;
    expect(addons?.opencost).toEqual({ enabled: true });
    expect(addons?.kubecost).toBeUndefined();
  });
});
