import { CLOUDS, Cloud } from '../../../constructs/core/clouds';
import { environmentTemplate } from '../../../constructs/presets/template';
import { CAPABILITIES, PRESETS, Presets, SIZES, Size } from '../../../constructs/presets';
import { presetEnvironments } from '../../../environments/examples/presets';
import { stateLocationOf, validateEnvironments } from '../../../environments/types';
import { TerraformJson, resources, synthEnvironment } from '../../helpers';
import { synthesizedStack } from '../../support/synthesized-sets';

/**
 * The reference architectures' table (shared/mission/README.md), read back from what each preset
 * synthesizes: for every size and cloud, which charts run in the cluster.
 */
const CHARTS_BY_CAPABILITY: Readonly<Record<string, Readonly<Record<Size, readonly string[]>>>> = {
  // The portal's own PostgreSQL runs on CloudNativePG in every size.
  'developer portal': { small: ['backstage', 'cloudnative-pg'], medium: ['backstage', 'cloudnative-pg'], large: ['backstage', 'cloudnative-pg'] },
  orchestration: { small: ['argo-cd'], medium: ['argo-cd', 'crossplane'], large: ['crossplane', 'argo-cd'] },
  'CI/CD': { small: [], medium: ['tekton-operator'], large: ['tekton-operator'] },
  databases: { small: [], medium: ['crossplane', 'cloudnative-pg'], large: ['crossplane', 'cloudnative-pg'] },
  secrets: { small: ['external-secrets'], medium: ['external-secrets', 'vault'], large: ['vault', 'external-secrets'] },
  monitoring: { small: ['alloy'], medium: ['kube-prometheus-stack'], large: ['kube-prometheus-stack', 'loki', 'tempo', 'alloy'] },
  'service mesh': { small: [], medium: ['istiod'], large: ['istiod'] },
  cost: { small: [], medium: [], large: ['kubecost'] },
  security: { small: [], medium: [], large: ['falco', 'trivy-operator', 'kyverno'] },
  TLS: { small: ['cert-manager'], medium: ['cert-manager'], large: ['cert-manager'] },
};

/** Charts no preset installs on a size: what the table leaves out. */
const NOT_IN: Readonly<Record<Size, readonly string[]>> = {
  small: ['vault', 'crossplane', 'tekton-operator', 'istiod', 'kube-prometheus-stack', 'kubecost', 'falco', 'kyverno'],
  medium: ['kubecost', 'falco', 'kyverno', 'loki', 'tempo', 'cilium', 'opencost'],
  large: ['opencost', 'gatekeeper'],
};

/** What each cloud calls the managed PostgreSQL server, the budget and the CI trust. */
const CLOUD_RESOURCES: Readonly<Record<Cloud, { database: string; budget: string; ciTrust: string; alarm: string; protected: (database: any) => boolean }>> = {
  aws: {
    database: 'aws_db_instance',
    budget: 'aws_budgets_budget',
    ciTrust: 'aws_iam_role',
    alarm: 'aws_cloudwatch_metric_alarm',
    protected: (database) => database.deletion_protection === true && database.lifecycle?.prevent_destroy === true,
  },
  azure: {
    database: 'azurerm_postgresql_flexible_server',
    budget: 'azurerm_consumption_budget_subscription',
    ciTrust: 'azurerm_federated_identity_credential',
    alarm: 'azurerm_monitor_metric_alert',
    protected: (database) => database.lifecycle?.prevent_destroy === true,
  },
  gcp: {
    database: 'google_sql_database_instance',
    budget: 'google_billing_budget',
    ciTrust: 'google_iam_workload_identity_pool_provider',
    alarm: 'google_monitoring_alert_policy',
    protected: (database) => database.deletion_protection === true && database.lifecycle?.prevent_destroy === true,
  },
};

const charts = (platform: TerraformJson): string[] => resources(platform, 'helm_release').map((release) => release.chart);

/**
 * A preset's stacks on a cloud in a tier, as `IDPKIT_ENVIRONMENT_SET=presets` synthesizes them
 * (environments/examples/presets.ts: the preset as `idpkit init` writes it, named `<size>-<cloud>-<tier>`).
 */
function presetStacks(size: Size, cloud: Cloud, tier: 'dev' | 'prod'): { infra: TerraformJson; platform: TerraformJson; bootstrap?: TerraformJson } {
  const env = validateEnvironments(presetEnvironments).find((candidate) => candidate.name === `${size}-${cloud}-${tier}`)!;
  const location = stateLocationOf(env);
  return {
    infra: synthesizedStack('presets', `${env.name}-infra`),
    platform: synthesizedStack('presets', `${env.name}-platform`),
    bootstrap: location ? synthesizedStack('presets', `bootstrap-${location.name}`) : undefined,
  };
}

describe.each(SIZES)('the %s preset', (size) => {
  test('has a choice for every row of the reference table, and its team size and recovery objectives', () => {
    const preset = PRESETS[size];
    expect(Object.keys(preset.capabilities).sort()).toEqual([...CAPABILITIES].sort());
    expect(preset.recovery.rto).toMatch(/hours?/);
    expect(preset.recovery.rpo).toMatch(/minutes/);
    expect(preset.platformTeam).toMatch(/platform engineers/);
  });

  describe.each(CLOUDS)('on %s', (cloud) => {
    test.each(['dev', 'prod'] as const)('in %s: installs the charts of every row of the table, and nothing the table leaves out', (tier) => {
      const installed = charts(presetStacks(size, cloud, tier).platform);
      for (const [capability, bySize] of Object.entries(CHARTS_BY_CAPABILITY)) {
        for (const chart of bySize[size]) expect({ capability, chart, installed: installed.includes(chart) }).toEqual({ capability, chart, installed: true });
      }
      for (const chart of NOT_IN[size]) expect(installed).not.toContain(chart);
    });

    test.each(['dev', 'prod'] as const)('in %s: a managed PostgreSQL server, a budget with alerts, and the CI deploy trust', (tier) => {
      const { infra, bootstrap } = presetStacks(size, cloud, tier);
      const names = CLOUD_RESOURCES[cloud];
      expect(resources(infra, names.database)).toHaveLength(1);
      expect(resources(infra, names.budget)).toHaveLength(1);
      expect(resources(bootstrap!, names.ciTrust).length).toBeGreaterThan(0);
      expect(resources(infra, names.alarm).length).toBeGreaterThanOrEqual(3); // connections, storage, CPU at least
      expect(names.protected(resources(infra, names.database)[0])).toBe(tier === 'prod');
    });

    test('dev node groups scale to zero off-hours where the cloud can schedule it (AWS), prod never', () => {
      const schedules = (tier: 'dev' | 'prod') => resources(presetStacks(size, cloud, tier).infra, 'aws_autoscaling_schedule').length;
      expect(schedules('dev')).toBe(cloud === 'aws' ? 2 : 0);
      expect(schedules('prod')).toBe(0);
    });
  });
});

describe('tiers inside a preset', () => {
  test.each(SIZES)('%s: resource metrics, load balancers and node autoscaling are add-ons on EKS only; AKS and GKE have them built in', (size) => {
    for (const tier of ['dev', 'prod'] as const) {
      expect(charts(presetStacks(size, 'aws', tier).platform)).toEqual(expect.arrayContaining(['metrics-server', 'aws-load-balancer-controller', 'karpenter']));
    }
    for (const cloud of ['azure', 'gcp'] as const) {
      const installed = charts(presetStacks(size, cloud, 'dev').platform);
      expect(installed).not.toContain('metrics-server');
      expect(installed).not.toContain('karpenter');
    }
    // their node pools scale between minSize and maxSize: the managed cluster autoscaler
    const aks = presetStacks(size, 'azure', 'dev').infra;
    const group = PRESETS[size].nodeGroup.dev;
    expect(resources(aks, 'azurerm_kubernetes_cluster_node_pool')[0]).toMatchObject({ auto_scaling_enabled: true, min_count: group.minSize, max_count: group.maxSize, lifecycle: { ignore_changes: ['node_count'] } });
    expect(resources(aks, 'azurerm_kubernetes_cluster')[0].default_node_pool).toMatchObject({ auto_scaling_enabled: true });
    expect(resources(presetStacks(size, 'gcp', 'dev').infra, 'google_container_node_pool')[0].autoscaling).toMatchObject({ total_min_node_count: group.minSize, total_max_node_count: group.maxSize });
  });

  test('Cilium runs as an add-on only where the cluster does not bring it (EKS); AKS and GKE have it as the dataplane', () => {
    expect(charts(presetStacks('large', 'aws', 'prod').platform)).toContain('cilium');
    expect(charts(presetStacks('large', 'azure', 'prod').platform)).not.toContain('cilium');
    expect(charts(presetStacks('large', 'gcp', 'prod').platform)).not.toContain('cilium');
  });

  test('multi-tenant namespaces in large, a namespace per team in medium, a single team in small', () => {
    const tenancy = (size: Size) => Presets[size]({ cloud: 'aws' }).platform.addons.tenancy;
    expect(tenancy('small')).toBeUndefined();
    expect(tenancy('medium')).toEqual({ enabled: true, mode: 'teams' });
    expect(tenancy('large')).toEqual({ enabled: true, mode: 'multi-tenant' });
    const withTeam = environmentTemplate({ size: 'large', cloud: 'gcp', name: 'prod' }) as any;
    withTeam.platform.addons.tenancy = { teams: [{ name: 'payments', adminGroup: 'payments@acme.example' }] };
    const manifests = resources(synthEnvironment(withTeam).platform, 'helm_release').find((release) => release.name === 'tenancy');
    expect(manifests.values[0]).toContain('kind: ResourceQuota');
  });

  test('prod databases get a standby in another zone, 30-day backups and deletion protection; dev gets neither and 7 days', () => {
    const rds = (tier: 'dev' | 'prod') => resources(presetStacks('medium', 'aws', tier).infra, 'aws_db_instance')[0];
    expect(rds('prod')).toMatchObject({ multi_az: true, backup_retention_period: 30, deletion_protection: true });
    expect(rds('dev')).toMatchObject({ multi_az: false, backup_retention_period: 7, deletion_protection: false });
  });

  test('Presets.<size>({ cloud }) reads like the table and drops add-ons the cloud does not run', () => {
    expect(Object.keys(Presets.large({ cloud: 'azure' }).platform.addons)).not.toContain('cilium');
    expect(Object.keys(Presets.large({ cloud: 'aws' }).platform.addons)).toEqual(expect.arrayContaining(['cilium', 'metricsServer', 'karpenter']));
    expect(Object.keys(Presets.small({ cloud: 'gcp' }).platform.addons)).not.toContain('karpenter');
    expect(Object.keys(Presets.large({ cloud: 'azure', runsOn: () => true }).platform.addons)).toContain('cilium');
    expect(Presets.small({ cloud: 'aws', tier: 'dev' }).databases).toEqual([{ name: 'platform', size: 'small', storageGiB: 32 }]);
    expect(Presets.medium({ cloud: 'gcp' }).platform.addons.istio).toEqual({ enabled: true });
  });
});
