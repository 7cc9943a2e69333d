/**
 * The cost model of `idpkit cost`: an estimated monthly cost per resource, stack and environment,
 * from synthesized Terraform JSON and the offline price table ({@link PRICES}). Pure functions over
 * what {@link readSynthesizedOutput} reads: no credentials, no pricing API, no Terraform.
 *
 * Every line says its quantity, its unit price and the formula; a line whose SKU or region has no
 * price is "not priced" with the reason and counts in no total. Usage-dependent quantities come
 * from {@link CostAssumptions} and are marked as such. A month is {@link HOURS_PER_MONTH} hours.
 */
import { IdpkitError, describeValue } from '../../../core/errors';
import type { Cloud } from '../../../core/clouds';
import type { SynthesizedOutput, TerraformDocument } from '../../../core/synthesized-output';
import { TIERS, type Tier } from '../../../core/tiers';
import { AWS_REGIONS, AZURE_LOCATIONS, GCP_REGIONS } from '../../../integration/provider/regions';
import {
  COST_ASSUMPTION_FIELDS,
  COST_METADATA_PATH,
  CostAssumptions,
  CostMetadata,
  DEFAULT_ASSUMPTION_TIER,
  DEFAULT_COST_ASSUMPTIONS,
  MAX_ASSUMPTION_GIB,
} from './assumptions';
import { runningShareOfWeek } from './off-hours';
import { HOURS_PER_MONTH, PRICED_REGIONS, PRICE_TABLE_VERSION, Price, PriceUnit, priceOf, round2 } from './prices';

export * from './assumptions';
export * from './off-hours';
export * from './prices';

/** Where a usage quantity came from. */
export interface AssumptionUse {
  /** The assumption field, e.g. `logIngestionGiB`. */
  readonly field: keyof CostAssumptions;
  /** Its value. */
  readonly value: number;
  /** `environment` (set in its `cost.assumptions`) or the tier whose default applied. */
  readonly from: 'environment' | `${Tier} default`;
}

/** One line of the estimate: one chargeable part of one resource. */
export interface CostLine {
  /** Terraform address (`type.name`). */
  readonly resource: string;
  /** What is charged, e.g. "node group general: m6i.large on-demand". */
  readonly item: string;
  /** The SKU key looked up in the price table. */
  readonly sku: string;
  /** Quantity in the price's unit per month (hours, months, GiB-months, GiB), rounded to 2 decimals. */
  readonly quantity: number;
  readonly unit: PriceUnit;
  /** How the quantity was reached, e.g. "3 nodes x 730 h". */
  readonly quantityBasis: string;
  /** The price used, when there is one. @default - not priced */
  readonly price?: Price;
  /** quantity x unit price, rounded to cents. @default - not priced */
  readonly monthlyUsd?: number;
  /** The whole arithmetic: "3 nodes x 730 h = 2190 hour x $0.096/hour = $210.24". */
  readonly formula: string;
  /** Why there is no figure. @default - priced */
  readonly notPriced?: string;
  /** The usage assumption the quantity rests on. @default - none: the quantity is read from the configuration */
  readonly assumption?: AssumptionUse;
  /** What else to know about the figure. @default - none */
  readonly note?: string;
}

/** The estimate of one stack. */
export interface StackEstimate {
  readonly stack: string;
  /** The environment the stack belongs to (a bootstrap stack is its own). */
  readonly environment: string;
  readonly cloud?: Cloud;
  readonly region?: string;
  /** The tier whose default assumptions apply. */
  readonly tier: Tier;
  readonly lines: readonly CostLine[];
  /** Sum of the priced lines. */
  readonly monthlyUsd: number;
  /** Sum of the priced lines that rest on an assumption. */
  readonly assumptionBasedUsd: number;
  /** Lines without a figure. */
  readonly notPricedLines: number;
}

/** The estimate of one environment: its stacks together. */
export interface EnvironmentEstimate {
  readonly environment: string;
  readonly stacks: readonly string[];
  readonly monthlyUsd: number;
  readonly assumptionBasedUsd: number;
  readonly notPricedLines: number;
}

/** The estimate of a synthesized directory. */
export interface CostEstimate {
  readonly dir: string;
  readonly priceTableVersion: string;
  readonly hoursPerMonth: number;
  readonly stacks: readonly StackEstimate[];
  readonly environments: readonly EnvironmentEstimate[];
  readonly monthlyUsd: number;
  readonly assumptionBasedUsd: number;
  readonly notPricedLines: number;
}

const KNOWN_REGIONS: Readonly<Record<Cloud, readonly string[]>> = { aws: AWS_REGIONS, azure: AZURE_LOCATIONS, gcp: GCP_REGIONS };

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isToken = (value: unknown): boolean => typeof value === 'string' && value.includes('${');
const text = (value: unknown): string | undefined => (typeof value === 'string' && !isToken(value) ? value : undefined);
const number = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);
const first = (value: unknown): Record<string, unknown> | undefined => {
  const item = Array.isArray(value) ? value[0] : value;
  return isObject(item) ? item : undefined;
};
const plural = (count: number, word: string): string => `${count} ${word}${count === 1 ? '' : 's'}`;
const fmtUsd = (usd: number): string => `$${usd}`;

/** What every line of one stack shares. */
interface StackContext {
  readonly stack: string;
  readonly cloud?: Cloud;
  readonly region?: string;
  readonly assumptions: CostAssumptions;
  readonly assumptionFrom: (field: keyof CostAssumptions) => AssumptionUse['from'];
  readonly resources: Readonly<Record<string, Readonly<Record<string, Record<string, unknown>>>>>;
}

/** What a resource handler asks for: one chargeable part, before the price is looked up. */
interface LineRequest {
  readonly item: string;
  readonly sku: string;
  readonly unit: PriceUnit;
  readonly quantity: number;
  readonly quantityBasis: string;
  readonly assumption?: keyof CostAssumptions;
  readonly note?: string;
  /** Why it cannot be priced whatever the table says (spot capacity). @default - look the SKU up */
  readonly unpriceable?: string;
  /** The quantity is not known at synthesis (nodes Karpenter launches). @default false */
  readonly quantityUnknown?: boolean;
}

/** Looks the SKU up and does the arithmetic. */
function priced(ctx: StackContext, resource: string, request: LineRequest): CostLine {
  const quantity = round2(request.quantity);
  const assumption = request.assumption
    ? { field: request.assumption, value: ctx.assumptions[request.assumption], from: ctx.assumptionFrom(request.assumption) }
    : undefined;
  const base = {
    resource,
    item: request.item,
    sku: request.sku,
    quantity,
    unit: request.unit,
    quantityBasis: request.quantityBasis,
    ...(assumption ? { assumption } : {}),
    ...(request.note ? { note: request.note } : {}),
  };
  if (request.quantityUnknown) return { ...base, formula: `${request.quantityBasis}: not priced`, notPriced: request.unpriceable ?? 'the quantity is not known at synthesis' };
  const quantityText = `${request.quantityBasis} = ${quantity} ${request.unit}`;
  if (quantity === 0) return { ...base, monthlyUsd: 0, formula: `${quantityText}: $0` };
  const reason =
    request.unpriceable ??
    (ctx.cloud === undefined
      ? 'the stack names no cloud provider region'
      : ctx.region === undefined
        ? 'the region is not known at synthesis'
        : !PRICED_REGIONS[ctx.cloud].includes(ctx.region)
          ? `region ${ctx.region} is not in the price table (priced ${ctx.cloud} regions: ${PRICED_REGIONS[ctx.cloud].join(', ')})`
          : undefined);
  const price = reason === undefined && ctx.cloud && ctx.region ? priceOf(ctx.cloud, ctx.region, request.sku) : undefined;
  if (!price) {
    const why = reason ?? `no price for ${request.sku} in ${ctx.region} could be read from ${ctx.cloud}'s pricing pages (price table ${PRICE_TABLE_VERSION})`;
    return { ...base, formula: `${quantityText} x (not priced)`, notPriced: why };
  }
  const monthlyUsd = round2(quantity * price.usd);
  return { ...base, price, monthlyUsd, formula: `${quantityText} x ${fmtUsd(price.usd)}/${price.unit} = ${fmtUsd(monthlyUsd)}` };
}

/** One resource type's chargeable parts. */
type ResourceHandler = (resource: Record<string, unknown>, name: string, ctx: StackContext) => readonly LineRequest[];

const always = (count: number, what: string): string => `${plural(count, what)} x ${HOURS_PER_MONTH} h`;
const SPOT = 'spot capacity: its price changes with supply and demand, so the table has none';

/** The share of the month an AWS node group runs: its off-hours schedules (stop and start), or all of it. */
function awsNodeGroupShare(name: string, ctx: StackContext): { readonly share: number; readonly basis: string } {
  const schedules = Object.values(ctx.resources.aws_autoscaling_schedule ?? {}).filter(
    (schedule) => typeof schedule.autoscaling_group_name === 'string' && schedule.autoscaling_group_name.includes(`aws_eks_node_group.${name}.`),
  );
  const stop = schedules.find((schedule) => String(schedule.scheduled_action_name).endsWith('-off-hours-stop'));
  const start = schedules.find((schedule) => String(schedule.scheduled_action_name).endsWith('-off-hours-start'));
  const week = stop && start ? runningShareOfWeek(String(stop.recurrence), String(start.recurrence)) : undefined;
  if (!week) return { share: 1, basis: '' };
  const hours = (minutes: number) => round2(minutes / 60);
  return {
    share: week.upMinutes / week.weekMinutes,
    basis: ` x ${week.upMinutes}/${week.weekMinutes} (off-hours: up ${hours(week.upMinutes)} of ${hours(week.weekMinutes)} h a week, "${String(stop!.recurrence)}" to "${String(start!.recurrence)}")`,
  };
}

/** A node pool's VMs and their disks, on any cloud. */
function nodeLines(options: {
  readonly what: string;
  readonly sku: string;
  readonly count: number;
  readonly countBasis: string;
  readonly spot: boolean;
  readonly share?: number;
  readonly shareBasis?: string;
  readonly diskSku?: string;
  readonly diskGiB?: number;
  /** The disk is billed per disk by its size tier (Azure managed disks), not per GiB. @default false */
  readonly diskPerDisk?: boolean;
}): LineRequest[] {
  const share = options.share ?? 1;
  const lines: LineRequest[] = [
    {
      item: `${options.what}: ${options.sku.split('/')[1]} ${options.spot ? 'spot' : 'on-demand'}`,
      sku: options.sku,
      unit: 'hour',
      quantity: options.count * HOURS_PER_MONTH * share,
      quantityBasis: `${plural(options.count, 'node')} (${options.countBasis}) x ${HOURS_PER_MONTH} h${options.shareBasis ?? ''}`,
      ...(options.spot ? { unpriceable: SPOT } : {}),
    },
  ];
  if (options.diskSku && options.diskGiB !== undefined) {
    const ofMonth = options.shareBasis ? ` x ${round2(share)} of the month` : '';
    lines.push(
      options.diskPerDisk
        ? {
            item: `${options.what}: OS disks`,
            sku: options.diskSku,
            unit: 'month',
            quantity: options.count * share,
            quantityBasis: `${plural(options.count, 'node')} x 1 disk of ${options.diskGiB} GiB${ofMonth}`,
          }
        : {
            item: `${options.what}: root disks`,
            sku: options.diskSku,
            unit: 'GiB-month',
            quantity: options.count * options.diskGiB * share,
            quantityBasis: `${plural(options.count, 'node')} x ${options.diskGiB} GiB${ofMonth}`,
          },
    );
  }
  return lines;
}

/** A managed database's instance, storage and backups. */
function databaseLines(options: { readonly what: string; readonly instanceSku: string; readonly storageSku: string; readonly storageGiB: number; readonly standby: boolean; readonly standbyName: string; readonly backupSku: string }): LineRequest[] {
  const copies = options.standby ? 2 : 1;
  const standby = options.standby ? ` x 2 (${options.standbyName})` : '';
  return [
    { item: `${options.what}: instance`, sku: options.instanceSku, unit: 'hour', quantity: copies * HOURS_PER_MONTH, quantityBasis: `1 instance x ${HOURS_PER_MONTH} h${standby}` },
    { item: `${options.what}: storage`, sku: options.storageSku, unit: 'GiB-month', quantity: copies * options.storageGiB, quantityBasis: `${options.storageGiB} GiB${standby}` },
    { item: `${options.what}: backups beyond the free allowance`, sku: options.backupSku, unit: 'GiB-month', quantity: 0, quantityBasis: 'databaseBackupBeyondFreeGiB', assumption: 'databaseBackupBeyondFreeGiB' },
  ];
}

/** The managed disk tiers of Azure by their largest size in GiB: Premium SSD P*, Standard SSD E*. */
const AZURE_DISK_TIERS: readonly (readonly [maxGiB: number, tier: number])[] = [
  [4, 1], [8, 2], [16, 3], [32, 4], [64, 6], [128, 10], [256, 15], [512, 20], [1024, 30], [2048, 40], [4096, 50],
];

/**
 * An AKS pool's OS disk, billed per disk by size tier: Premium SSD when the VM size takes premium
 * storage (an `s` in its features, `Standard_D4s_v5`), Standard SSD otherwise; an ephemeral OS disk
 * lives on the VM's own storage and costs nothing apart (AKS's default size: 128 GiB).
 */
function azureOsDisk(pool: Record<string, unknown>): { diskSku?: string; diskGiB?: number; diskPerDisk?: boolean } {
  if (pool.os_disk_type === 'Ephemeral') return {};
  const diskGiB = number(pool.os_disk_size_gb) ?? 128;
  const premium = /^Standard_[A-Z]+\d+[a-z]*s[a-z]*_/.test(text(pool.vm_size) ?? '');
  const tier = AZURE_DISK_TIERS.find(([maxGiB]) => diskGiB <= maxGiB)?.[1];
  const sku = tier === undefined ? `managed-disk/over-${diskGiB}-gib` : premium ? `managed-disk/premium-p${tier}` : `managed-disk/standard-ssd-e${tier}`;
  return { diskSku: sku, diskGiB, diskPerDisk: true };
}

/** The nodes a GKE pool runs at least: its autoscaler's total minimum, or its fixed count. */
function gkePoolMinimum(pool: Record<string, unknown>): number {
  return number(first(pool.autoscaling)?.total_min_node_count) ?? number(pool.node_count) ?? number(pool.initial_node_count) ?? 0;
}

/** Cloud NAT charges per VM using a gateway up to this many VMs, then a flat hourly rate. */
const CLOUD_NAT_VM_CAP = 32;

const once = (sku: string, item: string, unit: PriceUnit = 'month'): ResourceHandler => () => [
  { item, sku, unit, quantity: unit === 'hour' ? HOURS_PER_MONTH : 1, quantityBasis: unit === 'hour' ? always(1, 'resource') : '1 x 1 month' },
];
const usage = (sku: string, item: string, field: keyof CostAssumptions, unit: PriceUnit = 'GiB-month'): ResourceHandler => () => [{ item, sku, unit, quantity: 0, quantityBasis: field, assumption: field }];

/** The chargeable resources, by Terraform type: one table for every cloud. Types not listed have no charge of their own or are priced by requests. */
const RESOURCE_HANDLERS: Readonly<Record<string, ResourceHandler>> = {
  // AWS
  aws_eks_cluster: (r) => {
    const support = text(first(r.upgrade_policy)?.support_type) ?? 'EXTENDED';
    return [
      {
        item: `EKS control plane (${text(r.name) ?? 'cluster'}, Kubernetes ${text(r.version) ?? '?'})`,
        sku: 'eks/cluster-standard',
        unit: 'hour',
        quantity: HOURS_PER_MONTH,
        quantityBasis: always(1, 'cluster'),
        ...(support === 'STANDARD' ? {} : { note: 'upgrade policy EXTENDED: $0.60 an hour (eks/cluster-extended) once the version leaves standard support' }),
      },
    ];
  },
  aws_eks_node_group: (r, name, ctx) => {
    const scaling = first(r.scaling_config) ?? {};
    const desired = number(scaling.desired_size);
    const count = desired ?? number(scaling.min_size) ?? 0;
    const types = Array.isArray(r.instance_types) ? r.instance_types.map(String) : [];
    const { share, basis } = awsNodeGroupShare(name, ctx);
    const template = Object.entries(ctx.resources.aws_launch_template ?? {}).find(([templateName]) => JSON.stringify(r.launch_template ?? '').includes(`aws_launch_template.${templateName}.`))?.[1];
    const ebs = first(first(template?.block_device_mappings)?.ebs);
    return nodeLines({
      what: `node group ${text(r.node_group_name) ?? name}`,
      sku: `ec2/${types[0] ?? 'unknown'}`,
      count,
      countBasis: desired !== undefined ? 'desired size' : 'minimum size',
      spot: r.capacity_type === 'SPOT',
      share,
      shareBasis: basis,
      ...(ebs ? { diskSku: `ebs/${text(ebs.volume_type) ?? 'gp3'}`, diskGiB: number(ebs.volume_size) ?? 20 } : {}),
    }).map((line, index) => (index === 0 && types.length > 1 ? { ...line, note: `priced as ${types[0]}, the first of ${types.join(', ')} (on-demand groups prefer the first)` } : line));
  },
  aws_nat_gateway: once('vpc/nat-gateway', 'NAT gateway', 'hour'),
  aws_eip: once('vpc/public-ipv4', 'public IPv4 address', 'hour'),
  aws_db_instance: (r) =>
    databaseLines({
      what: `PostgreSQL ${text(r.identifier) ?? ''}`.trim(),
      instanceSku: `rds-postgres/${text(r.instance_class) ?? 'unknown'}`,
      storageSku: `rds/${text(r.storage_type) ?? 'gp2'}`,
      storageGiB: number(r.allocated_storage) ?? 0,
      standby: r.multi_az === true,
      standbyName: 'Multi-AZ standby',
      backupSku: 'rds/backup',
    }),
  aws_kms_key: once('kms/key', 'KMS key'),
  aws_secretsmanager_secret: once('secretsmanager/secret', 'Secrets Manager secret'),
  aws_ecr_repository: usage('ecr/storage', 'ECR repository: images stored', 'registryStorageGiB'),
  aws_s3_bucket: usage('s3/standard', 'S3 bucket: objects stored', 'bucketStorageGiB'),
  aws_cloudwatch_metric_alarm: once('cloudwatch/alarm', 'CloudWatch alarm'),
  aws_route53_zone: once('route53/hosted-zone', 'Route 53 hosted zone'),
  // Azure
  azurerm_kubernetes_cluster: (r) => {
    const tier = text(r.sku_tier) ?? 'Free';
    const pool = first(r.default_node_pool) ?? {};
    const nodes = number(pool.node_count);
    return [
      { item: `AKS control plane (${text(r.name) ?? 'cluster'}, ${tier} tier)`, sku: `aks/cluster-${tier.toLowerCase()}`, unit: 'hour', quantity: HOURS_PER_MONTH, quantityBasis: always(1, 'cluster') },
      ...nodeLines({
        what: `node pool ${text(pool.name) ?? 'system'}`,
        sku: `vm/${text(pool.vm_size) ?? 'unknown'}`,
        count: nodes ?? number(pool.min_count) ?? 0,
        countBasis: nodes !== undefined ? 'node count' : 'minimum count',
        spot: false,
        ...azureOsDisk(pool),
      }),
    ];
  },
  azurerm_kubernetes_cluster_node_pool: (r, name) => {
    const nodes = number(r.node_count);
    return nodeLines({
      what: `node pool ${text(r.name) ?? name}`,
      sku: `vm/${text(r.vm_size) ?? 'unknown'}`,
      count: nodes ?? number(r.min_count) ?? 0,
      countBasis: nodes !== undefined ? 'node count' : 'minimum count',
      spot: r.priority === 'Spot',
      ...azureOsDisk(r),
    });
  },
  azurerm_postgresql_flexible_server: (r) =>
    databaseLines({
      what: `PostgreSQL flexible server ${text(r.name) ?? ''}`.trim(),
      instanceSku: `postgres-flexible/${text(r.sku_name) ?? 'unknown'}`,
      storageSku: 'postgres-flexible/storage',
      storageGiB: (number(r.storage_mb) ?? 0) / 1024,
      standby: first(r.high_availability) !== undefined,
      standbyName: 'high-availability standby',
      backupSku: 'postgres-flexible/backup',
    }),
  azurerm_container_registry: (r) => [{ item: `container registry (${text(r.sku) ?? 'Basic'})`, sku: `acr/${(text(r.sku) ?? 'Basic').toLowerCase()}`, unit: 'month', quantity: 1, quantityBasis: '1 registry x 1 month' }],
  azurerm_key_vault_key: (r) => [{ item: `Key Vault key (${text(r.key_type) ?? 'RSA'})`, sku: `key-vault/key-${(text(r.key_type) ?? 'RSA').toLowerCase()}`, unit: 'month', quantity: 1, quantityBasis: '1 key x 1 month' }],
  azurerm_log_analytics_workspace: usage('log-analytics/ingestion', 'Log Analytics: logs ingested', 'logIngestionGiB', 'GiB'),
  azurerm_nat_gateway: once('nat-gateway/gateway', 'NAT gateway', 'hour'),
  azurerm_public_ip: (r) => [{ item: `public IP (${text(r.sku) ?? 'Standard'}, ${text(r.allocation_method) ?? 'Static'})`, sku: `public-ip/${(text(r.sku) ?? 'Standard').toLowerCase()}`, unit: 'hour', quantity: HOURS_PER_MONTH, quantityBasis: always(1, 'address') }],
  azurerm_private_endpoint: once('private-link/endpoint', 'private endpoint', 'hour'),
  azurerm_private_dns_zone: once('dns/private-zone', 'private DNS zone'),
  azurerm_storage_account: (r) => [
    { item: `storage account (${text(r.account_tier) ?? 'Standard'} ${text(r.account_replication_type) ?? 'LRS'}): data stored`, sku: `storage/${(text(r.account_tier) ?? 'Standard').toLowerCase()}-${(text(r.account_replication_type) ?? 'LRS').toLowerCase()}`, unit: 'GiB-month', quantity: 0, quantityBasis: 'bucketStorageGiB', assumption: 'bucketStorageGiB' },
  ],
  azurerm_monitor_metric_alert: once('monitor/metric-alert', 'metric alert rule'),
  // GCP
  google_container_cluster: (r) => {
    const zonal = /-[a-z]$/.test(text(r.location) ?? '');
    return [
      {
        item: `GKE control plane (${text(r.name) ?? 'cluster'}, ${zonal ? 'zonal' : 'regional'})`,
        sku: 'gke/cluster',
        unit: 'hour',
        quantity: HOURS_PER_MONTH,
        quantityBasis: always(1, 'cluster'),
        ...(zonal ? { note: 'zonal: the GKE free tier ($74.40 a month per billing account) may cover one such cluster; not deducted' } : {}),
      },
    ];
  },
  google_container_node_pool: (r, name) => {
    const config = first(r.node_config) ?? {};
    return nodeLines({
      what: `node pool ${text(r.name) ?? name}`,
      sku: `gce/${text(config.machine_type) ?? 'e2-medium'}`,
      count: gkePoolMinimum(r),
      countBasis: number(first(r.autoscaling)?.total_min_node_count) !== undefined ? 'total minimum' : 'node count',
      spot: config.spot === true || config.preemptible === true,
      diskSku: `pd/${text(config.disk_type) ?? 'pd-balanced'}`,
      diskGiB: number(config.disk_size_gb) ?? 100,
    });
  },
  google_sql_database_instance: (r) => {
    const settings = first(r.settings) ?? {};
    return databaseLines({
      what: `Cloud SQL ${text(r.name) ?? ''}`.trim(),
      instanceSku: `cloud-sql/${text(settings.tier) ?? 'unknown'}`,
      storageSku: `cloud-sql/${(text(settings.disk_type) ?? 'PD_SSD').toLowerCase()}`,
      storageGiB: number(settings.disk_size) ?? 10,
      standby: settings.availability_type === 'REGIONAL',
      standbyName: 'regional (high availability) standby',
      backupSku: 'cloud-sql/backup',
    });
  },
  google_compute_router_nat: (_r, _name, ctx) => {
    const vms = Object.values(ctx.resources.google_container_node_pool ?? {}).reduce((sum, pool) => sum + gkePoolMinimum(pool), 0);
    return vms > CLOUD_NAT_VM_CAP
      ? [{ item: 'Cloud NAT gateway', sku: 'cloud-nat/gateway', unit: 'hour', quantity: HOURS_PER_MONTH, quantityBasis: `${always(1, 'gateway')} (${vms} VMs: the capped rate)` }]
      : [{ item: 'Cloud NAT gateway: VMs using it', sku: 'cloud-nat/vm', unit: 'hour', quantity: vms * HOURS_PER_MONTH, quantityBasis: `${plural(vms, 'VM')} (the node pools\' minimum) x ${HOURS_PER_MONTH} h` }];
  },
  google_kms_crypto_key: once('kms/key-version', 'Cloud KMS key (active version)'),
  google_secret_manager_secret: once('secret-manager/secret-version', 'Secret Manager secret (one version)'),
  google_storage_bucket: (r) => [
    { item: `Cloud Storage bucket (${text(r.storage_class) ?? 'STANDARD'}): objects stored`, sku: `gcs/${(text(r.storage_class) ?? 'STANDARD').toLowerCase()}`, unit: 'GiB-month', quantity: 0, quantityBasis: 'bucketStorageGiB', assumption: 'bucketStorageGiB' },
  ],
  google_artifact_registry_repository: usage('artifact-registry/storage', 'Artifact Registry: images stored', 'registryStorageGiB'),
};

/** Parts charged once per stack, by usage, when the stack has what causes them. */
const STACK_USAGE: readonly { readonly when: readonly string[]; readonly item: string; readonly sku: Readonly<Record<Cloud, string>>; readonly field: keyof CostAssumptions; readonly unit: PriceUnit }[] = [
  { when: ['aws_nat_gateway', 'azurerm_nat_gateway', 'google_compute_router_nat'], item: 'NAT: data processed', sku: { aws: 'vpc/nat-data', azure: 'nat-gateway/data', gcp: 'cloud-nat/data' }, field: 'natDataProcessedGiB', unit: 'GiB' },
  { when: ['aws_cloudwatch_log_group', 'google_container_cluster'], item: 'logs ingested', sku: { aws: 'cloudwatch/logs-ingestion', azure: 'log-analytics/ingestion', gcp: 'logging/ingestion' }, field: 'logIngestionGiB', unit: 'GiB' },
  { when: ['aws_flow_log', 'google_compute_subnetwork'], item: 'flow logs ingested', sku: { aws: 'cloudwatch/vended-logs-ingestion', azure: 'network-watcher/flow-logs', gcp: 'network/flow-logs' }, field: 'flowLogIngestionGiB', unit: 'GiB' },
];

/** Load balancers the platform stack's add-ons create: Istio's ingress gateway is a Service of type LoadBalancer. */
function addonLoadBalancers(ctx: StackContext): { readonly resource: string; readonly request: LineRequest }[] {
  const releases = Object.entries(ctx.resources.helm_release ?? {});
  const charts = new Set(releases.map(([, release]) => String(release.chart)));
  const lines: { resource: string; request: LineRequest }[] = [];
  for (const [name, release] of releases) {
    if (release.chart === 'gateway') {
      const aws = charts.has('aws-load-balancer-controller') ? { sku: 'elb/nlb', what: 'Network Load Balancer (AWS Load Balancer Controller)' } : { sku: 'elb/clb', what: 'Classic Load Balancer (in-tree Service controller)' };
      const kind: Readonly<Record<Cloud, { sku: string; what: string }>> = {
        aws,
        azure: { sku: 'load-balancer/standard-rules', what: 'Standard Load Balancer rules' },
        gcp: { sku: 'load-balancing/forwarding-rule', what: 'passthrough Network Load Balancer forwarding rule' },
      };
      const chosen = ctx.cloud ? kind[ctx.cloud] : { sku: 'load-balancer', what: 'load balancer' };
      lines.push({
        resource: `helm_release.${name}`,
        request: { item: `Istio ingress gateway: ${chosen.what}`, sku: chosen.sku, unit: 'hour', quantity: HOURS_PER_MONTH, quantityBasis: always(1, 'load balancer'), note: 'hourly part only; capacity units and data processed depend on traffic' },
      });
    }
    if (release.chart === 'karpenter') {
      lines.push({
        resource: `helm_release.${name}`,
        request: { item: 'nodes Karpenter launches', sku: 'ec2/karpenter', unit: 'hour', quantity: 0, quantityUnknown: true, quantityBasis: 'as many as pending pods need', unpriceable: 'Karpenter picks instance types and counts from pending pods at run time; the managed node groups are priced above' },
      });
    }
  }
  return lines;
}

/** The cloud and region a stack's provider names. */
function placementOf(document: TerraformDocument): { cloud?: Cloud; region?: string; regionGiven?: string } {
  const providers = isObject(document.provider) ? document.provider : {};
  const resources = isObject(document.resource) ? document.resource : {};
  const read = (cloud: Cloud, value: unknown) => ({ cloud, regionGiven: typeof value === 'string' ? value : undefined, region: text(value) });
  if (providers.aws) return read('aws', first(providers.aws)?.region);
  if (providers.google) return read('gcp', first(providers.google)?.region);
  if (providers.azurerm) {
    const located = Object.entries(resources)
      .filter(([type]) => type.startsWith('azurerm_'))
      .flatMap(([, byName]) => (isObject(byName) ? Object.values(byName) : []))
      .map((resource) => (isObject(resource) ? text(resource.location) : undefined))
      .find((location) => location !== undefined);
    return { cloud: 'azure', region: located, regionGiven: located };
  }
  return {};
}

/** The cost metadata of an infra stack, checked; undefined when the stack has none. */
export function costMetadataOf(stack: string, document: TerraformDocument): CostMetadata | undefined {
  const [comment, key, field] = COST_METADATA_PATH.split('.');
  const container = isObject(document[comment]) ? (document[comment] as Record<string, unknown>)[key] : undefined;
  const metadata = isObject(container) ? container[field] : undefined;
  if (metadata === undefined) return undefined;
  const where = `stack "${stack}": "//".idpkit.cost`;
  const problems: string[] = [];
  if (!isObject(metadata)) throw new IdpkitError('IDPKIT_INVALID_INPUT', [`${where} ${describeValue(metadata)} is not an object { environment, tier, assumptions } (synthesize again)`]);
  if (typeof metadata.environment !== 'string' || metadata.environment === '') problems.push(`${where}.environment ${describeValue(metadata.environment)} is not an environment name`);
  if (!(TIERS as readonly unknown[]).includes(metadata.tier)) problems.push(`${where}.tier ${describeValue(metadata.tier)} is not a tier (allowed: ${TIERS.join(', ')})`);
  const assumptions = metadata.assumptions ?? {};
  if (!isObject(assumptions)) problems.push(`${where}.assumptions ${describeValue(assumptions)} is not an object of assumption fields (${COST_ASSUMPTION_FIELDS.join(', ')})`);
  else {
    for (const [name, value] of Object.entries(assumptions)) {
      if (!(COST_ASSUMPTION_FIELDS as readonly string[]).includes(name)) problems.push(`${where}.assumptions.${name} is not an assumption field (allowed: ${COST_ASSUMPTION_FIELDS.join(', ')})`);
      else if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > MAX_ASSUMPTION_GIB) problems.push(`${where}.assumptions.${name} ${describeValue(value)} is not a number of GiB from 0 to ${MAX_ASSUMPTION_GIB}`);
    }
  }
  if (problems.length > 0) throw new IdpkitError('IDPKIT_INVALID_INPUT', problems);
  return metadata as unknown as CostMetadata;
}

/** The environment a stack belongs to: its metadata's, its name's (`<env>-infra`, `<env>-platform`), or its own name. */
const environmentOfName = (stack: string): string => /^(.+)-(infra|platform)$/.exec(stack)?.[1] ?? stack;

/** Estimates one stack. `inherited` is the placement and metadata of the stack's environment, from its infra stack. */
function estimateStack(stack: string, document: TerraformDocument, inherited: { placement?: ReturnType<typeof placementOf>; metadata?: CostMetadata }): StackEstimate {
  const own = placementOf(document);
  const placement = own.cloud ? own : (inherited.placement ?? own);
  if (placement.cloud && placement.regionGiven !== undefined && placement.region !== undefined && !KNOWN_REGIONS[placement.cloud].includes(placement.region)) {
    throw new IdpkitError('IDPKIT_INVALID_INPUT', [
      `stack "${stack}": region ${describeValue(placement.region)} is not a known ${placement.cloud} region (e.g. ${KNOWN_REGIONS[placement.cloud].slice(0, 3).join(', ')}; see constructs/integration/provider/regions.ts)`,
    ]);
  }
  const metadata = costMetadataOf(stack, document) ?? inherited.metadata;
  const tier = metadata?.tier ?? DEFAULT_ASSUMPTION_TIER;
  const overrides = metadata?.assumptions ?? {};
  const assumptions: CostAssumptions = { ...DEFAULT_COST_ASSUMPTIONS[tier], ...overrides };
  const resources = (isObject(document.resource) ? document.resource : {}) as StackContext['resources'];
  const ctx: StackContext = {
    stack,
    cloud: placement.cloud,
    region: placement.region,
    assumptions,
    assumptionFrom: (field) => (overrides[field] !== undefined ? 'environment' : `${tier} default`),
    resources,
  };
  const withUsage = (request: LineRequest): LineRequest =>
    request.assumption ? { ...request, quantity: assumptions[request.assumption], quantityBasis: `${request.assumption} ${assumptions[request.assumption]} GiB` } : request;
  const lines: CostLine[] = [];
  for (const type of Object.keys(resources).sort()) {
    const handler = RESOURCE_HANDLERS[type];
    if (!handler) continue;
    for (const name of Object.keys(resources[type]).sort()) {
      for (const request of handler(resources[type][name], name, ctx)) lines.push(priced(ctx, `${type}.${name}`, withUsage(request)));
    }
  }
  if (ctx.cloud) {
    for (const part of STACK_USAGE) {
      const cause = part.when.find((type) => resources[type] !== undefined);
      if (!cause) continue;
      lines.push(priced(ctx, `${cause} (stack)`, withUsage({ item: part.item, sku: part.sku[ctx.cloud], unit: part.unit, quantity: 0, quantityBasis: part.field, assumption: part.field })));
    }
  }
  for (const { resource, request } of addonLoadBalancers(ctx)) lines.push(priced(ctx, resource, request));
  const pricedLines = lines.filter((line) => line.monthlyUsd !== undefined);
  return {
    stack,
    environment: metadata?.environment ?? environmentOfName(stack),
    ...(ctx.cloud ? { cloud: ctx.cloud } : {}),
    ...(ctx.region ? { region: ctx.region } : {}),
    tier,
    lines,
    monthlyUsd: round2(pricedLines.reduce((sum, line) => sum + line.monthlyUsd!, 0)),
    assumptionBasedUsd: round2(pricedLines.filter((line) => line.assumption).reduce((sum, line) => sum + line.monthlyUsd!, 0)),
    notPricedLines: lines.length - pricedLines.length,
  };
}

/**
 * Estimates the monthly cost of every stack of a synthesized directory, grouped by environment.
 * Throws {@link IdpkitError} `IDPKIT_INVALID_INPUT` for a region the cloud does not have or
 * malformed cost metadata, naming the stack and the field.
 */
export function estimateCost(output: SynthesizedOutput): CostEstimate {
  const names = Object.keys(output.stacks).sort();
  const inheritedBy = new Map<string, { placement?: ReturnType<typeof placementOf>; metadata?: CostMetadata }>();
  for (const stack of names) {
    const document = output.stacks[stack];
    const metadata = costMetadataOf(stack, document);
    const placement = placementOf(document);
    const environment = metadata?.environment ?? environmentOfName(stack);
    if (metadata || (placement.cloud && !inheritedBy.has(environment))) inheritedBy.set(environment, { placement, metadata });
  }
  const stacks = names.map((stack) => estimateStack(stack, output.stacks[stack], inheritedBy.get(environmentOfName(stack)) ?? {}));
  const environments = [...new Set(stacks.map((stack) => stack.environment))].sort().map((environment) => {
    const mine = stacks.filter((stack) => stack.environment === environment);
    return {
      environment,
      stacks: mine.map((stack) => stack.stack),
      monthlyUsd: round2(mine.reduce((sum, stack) => sum + stack.monthlyUsd, 0)),
      assumptionBasedUsd: round2(mine.reduce((sum, stack) => sum + stack.assumptionBasedUsd, 0)),
      notPricedLines: mine.reduce((sum, stack) => sum + stack.notPricedLines, 0),
    };
  });
  return {
    dir: output.dir,
    priceTableVersion: PRICE_TABLE_VERSION,
    hoursPerMonth: HOURS_PER_MONTH,
    stacks,
    environments,
    monthlyUsd: round2(stacks.reduce((sum, stack) => sum + stack.monthlyUsd, 0)),
    assumptionBasedUsd: round2(stacks.reduce((sum, stack) => sum + stack.assumptionBasedUsd, 0)),
    notPricedLines: stacks.reduce((sum, stack) => sum + stack.notPricedLines, 0),
  };
}
