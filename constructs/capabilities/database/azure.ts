import { KeyVaultSecret } from '@cdktf/provider-azurerm/lib/key-vault-secret';
import { MonitorActivityLogAlert } from '@cdktf/provider-azurerm/lib/monitor-activity-log-alert';
import { MonitorMetricAlert } from '@cdktf/provider-azurerm/lib/monitor-metric-alert';
import { PostgresqlFlexibleServer } from '@cdktf/provider-azurerm/lib/postgresql-flexible-server';
import { PostgresqlFlexibleServerActiveDirectoryAdministrator } from '@cdktf/provider-azurerm/lib/postgresql-flexible-server-active-directory-administrator';
import { PostgresqlFlexibleServerConfiguration } from '@cdktf/provider-azurerm/lib/postgresql-flexible-server-configuration';
import { PostgresqlFlexibleServerDatabase } from '@cdktf/provider-azurerm/lib/postgresql-flexible-server-database';
import { PrivateDnsZone } from '@cdktf/provider-azurerm/lib/private-dns-zone';
import { PrivateDnsZoneVirtualNetworkLink } from '@cdktf/provider-azurerm/lib/private-dns-zone-virtual-network-link';
import { PrivateEndpoint } from '@cdktf/provider-azurerm/lib/private-endpoint';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { UserAssignedIdentity } from '@cdktf/provider-azurerm/lib/user-assigned-identity';
import { Construct } from 'constructs';
import {
  DATABASE_ALERT_THRESHOLDS,
  DATABASE_INSTANCE_CLASSES,
  Database,
  DatabaseProps,
  POSTGRES_LOG_SETTINGS,
  POSTGRES_PORT,
  connectionsAlertThreshold,
  databasePropsProblems,
  resolveDatabaseProps,
} from '.';
import { Fn, Token } from '../../core/cdktf';
import type { ITerraformDependable } from '../../core/cdktf';
import { IdpkitError, describeValue } from '../../core/errors';
import { AzureKeyVaultKey } from '../../infrastructure/keys/azure';
import { afterRoleAssignments } from '../../integration/provider/azure';
import { AZURE_MIN_BACKUP_RETENTION_DAYS, AZURE_POSTGRES_STORAGE_GIB } from './azure-limits';

/** The private DNS zone of flexible server private endpoints. */
export const POSTGRES_PRIVATE_DNS_ZONE = 'privatelink.postgres.database.azure.com';

/**
 * Flexible server names: 3-63 lowercase letters, digits and hyphens, not starting or ending with a
 * hyphen. They are global DNS names (`<name>.postgres.database.azure.com`).
 */
export const AZURE_POSTGRES_SERVER_NAME = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;

/** The metric namespace of flexible servers. */
const METRIC_NAMESPACE = 'Microsoft.DBforPostgreSQL/flexibleServers';

/** Props of {@link AzureDatabase}. */
export interface AzureDatabaseProps extends DatabaseProps {
  /**
   * Name of the flexible server, 3-63 lowercase letters, digits and hyphens. Server names are
   * global DNS names (`<name>.postgres.database.azure.com`), so give one with a suffix of your own
   * (environments use `<env>-<name>-<8 hex of SHA-256 over the subscription and env/name>`).
   * Every other resource is named after `name`.
   * @default - `name`
   */
  readonly serverName?: string;
  readonly resourceGroupName: string;
  readonly location: string;
  /** Subnet of the server's private endpoint. */
  readonly privateEndpointSubnetId: string;
  /**
   * VNet to link a new `privatelink.postgres.database.azure.com` zone to, in `resourceGroupName`.
   * One zone of a name fits in a resource group: with more than one server there, create it once
   * ({@link AzurePostgresPrivateDnsZone}) and give `privateDnsZoneId` instead.
   * Give this or `privateDnsZoneId`. @default - none
   */
  readonly virtualNetworkId?: string;
  /**
   * An existing `privatelink.postgres.database.azure.com` zone, already linked to the VNet (e.g.
   * {@link AzurePostgresPrivateDnsZone.zoneId}). Give this or `virtualNetworkId`. @default - none
   */
  readonly privateDnsZoneId?: string;
  /** Key Vault key that encrypts the server (customer-managed key); a user-assigned identity is given wrap/unwrap on it. */
  readonly key: AzureKeyVaultKey;
  /** Keep backups in the paired region too (needs `geoBackupKey` and `geoBackupLocation`; fixed once created). @default false */
  readonly geoRedundantBackup?: boolean;
  /** Key Vault key in the paired region that encrypts geo-redundant backups. Required with `geoRedundantBackup`. @default - none */
  readonly geoBackupKey?: AzureKeyVaultKey;
  /** The paired region, where the geo backup identity is created. Required with `geoRedundantBackup`. @default - none */
  readonly geoBackupLocation?: string;
  /** Entra ID tenant of the server's Entra authentication. */
  readonly tenantId: string;
  /** Object id of the Entra administrator (usually a group of the platform team). */
  readonly administratorObjectId: string;
  /** Name of the Entra administrator as it logs in: the group's display name, the user's UPN or the app's name. */
  readonly administratorPrincipalName: string;
  /** What the Entra administrator is. @default "Group" */
  readonly administratorPrincipalType?: 'Group' | 'ServicePrincipal' | 'User';
  /** Key Vault that receives the connection-details secret (Terraform needs Key Vault Secrets Officer there). */
  readonly connectionSecretVaultId: string;
  /** What must exist before the secret is written, e.g. the deployer's Key Vault Secrets Officer role assignment. @default [] */
  readonly connectionSecretDependsOn?: readonly ITerraformDependable[];
  /** Action group every alert notifies. */
  readonly actionGroupId: string;
  /** Availability zone of the primary. @default - Azure picks one */
  readonly zone?: string;
}

/**
 * Azure Database for PostgreSQL flexible server with production defaults: reachable only through a
 * private endpoint (public network access off, `privatelink.postgres.database.azure.com` zone),
 * TLS 1.2+ required (`require_secure_transport`), encrypted with a customer-managed Key Vault key
 * through a user-assigned identity, storage that grows by itself, backups with point-in-time
 * restore, zone-redundant HA, optional geo-redundant backups, deletion protection by
 * `prevent_destroy` on the server, its database and its connection secret (flexible servers have
 * no API-level deletion lock), and Entra-only
 * authentication: password authentication is off and no administrator login or password exists.
 *
 * The connection secret (Key Vault, JSON: host, port, dbname, username = the Entra administrator,
 * authentication, sslmode) is what External Secrets reads; applications log in with Entra tokens.
 * Database roles for workload identities are created in SQL by the Entra administrator
 * (`pgaadauth_create_principal`), outside Terraform.
 *
 * Monitoring: metric alerts on `active_connections` (80% of the SKU's default `max_connections`),
 * `cpu_percent`, `storage_percent` and `is_db_alive` (the server stops answering, e.g. during a
 * failover), and a Resource Health alert (Degraded or Unavailable), all to one action group. A
 * zone-redundant standby replicates synchronously and Azure emits no lag metric for it
 * (`physical_replication_delay_in_seconds` is for read replicas), and automated backups emit no
 * failure metric or event: Resource Health is the best available signal for both.
 *
 * @see https://registry.terraform.io/providers/hashicorp/azurerm/4.55.0/docs/resources/postgresql_flexible_server
 * @see https://learn.microsoft.com/azure/postgresql/flexible-server/concepts-data-encryption
 * @see https://learn.microsoft.com/azure/postgresql/flexible-server/concepts-networking-private-link
 * @example
 * declare const network: AzureNetwork;
 * declare const vault: AzureKeyVault;        // the environment's keys
 * declare const secretsVault: AzureKeyVault; // where External Secrets reads from
 * declare const alerts: AzureAlertRecipients;
 * const resourceGroupName = 'rg-idp-prod';
 * const zone = new AzurePostgresPrivateDnsZone(this, 'postgres-private-dns', { resourceGroupName, virtualNetworkId: network.networkId, linkName: 'prod-postgres' });
 * const db = new AzureDatabase(this, 'database', {
 *   name: 'prod-platform', serverName: 'prod-platform-3f1c2a9b', engineVersion: '17', size: 'medium', storageGiB: 128,
 *   resourceGroupName, location: 'westeurope', privateEndpointSubnetId: network.endpointsSubnetId, privateDnsZoneId: zone.zoneId,
 *   key: vault.addKey('postgres', { alias: 'postgres', description: 'PostgreSQL prod' }),
 *   tenantId: '00000000-0000-0000-0000-0000000000aa', administratorObjectId: '00000000-0000-0000-0000-0000000000ad', administratorPrincipalName: 'platform-admins',
 *   connectionSecretVaultId: secretsVault.vaultId, actionGroupId: alerts.actionGroupId,
 * });
 */
export class AzureDatabase extends Construct implements Database {
  readonly endpoint: string;
  readonly port: number = POSTGRES_PORT;
  readonly databaseName: string;
  readonly connectionSecretName: string;
  readonly connectionSecretId: string;
  readonly resourceId: string;
  readonly metricsResourceId: string;
  /** Principal id of the identity the server uses to reach its key. */
  readonly encryptionIdentityPrincipalId: string;
  /** Name of the flexible server (its DNS name is `<this>.postgres.database.azure.com`). */
  readonly serverName: string;

  constructor(scope: Construct, id: string, props: AzureDatabaseProps) {
    super(scope, id);
    const resolved = resolveDatabaseProps(this, props);
    const geoRedundantBackup = props.geoRedundantBackup ?? false;
    const serverName = props.serverName ?? props.name;
    this.validate(props, serverName, resolved.backupRetentionDays, resolved.highAvailability, geoRedundantBackup);
    const where = { resourceGroupName: props.resourceGroupName, location: props.location };
    const name = props.name;

    const identity = new UserAssignedIdentity(this, 'encryption-identity', { ...where, name: `id-${name}-postgres` });
    const grants: RoleAssignment[] = [props.key.grantEncryptionUser(identity.principalId)];
    let geoIdentity: UserAssignedIdentity | undefined;
    if (geoRedundantBackup) {
      geoIdentity = new UserAssignedIdentity(this, 'geo-backup-identity', {
        resourceGroupName: props.resourceGroupName,
        location: props.geoBackupLocation!,
        name: `id-${name}-postgres-geo`,
      });
      grants.push(props.geoBackupKey!.grantEncryptionUser(geoIdentity.principalId));
    }

    const server = new PostgresqlFlexibleServer(this, 'server', {
      ...where,
      name: serverName,
      version: props.engineVersion,
      skuName: DATABASE_INSTANCE_CLASSES[props.size].azure,
      storageMb: props.storageGiB * 1024,
      autoGrowEnabled: true,
      zone: props.zone,
      highAvailability: resolved.highAvailability ? { mode: 'ZoneRedundant' } : undefined,
      backupRetentionDays: resolved.backupRetentionDays,
      geoRedundantBackupEnabled: geoRedundantBackup,
      publicNetworkAccessEnabled: false,
      authentication: { activeDirectoryAuthEnabled: true, passwordAuthEnabled: false, tenantId: props.tenantId },
      identity: { type: 'UserAssigned', identityIds: [identity.id, ...(geoIdentity ? [geoIdentity.id] : [])] },
      customerManagedKey: {
        keyVaultKeyId: props.key.keyId,
        primaryUserAssignedIdentityId: identity.id,
        geoBackupKeyVaultKeyId: geoRedundantBackup ? props.geoBackupKey!.keyId : undefined,
        geoBackupUserAssignedIdentityId: geoIdentity?.id,
      },
      maintenanceWindow: { dayOfWeek: 0, startHour: 3, startMinute: 30 },
      tags: { ...resolved.tags },
      lifecycle: {
        // A failover swaps the zones; Terraform must not move the server back.
        ignoreChanges: ['zone', 'high_availability[0].standby_availability_zone'],
        preventDestroy: resolved.deletionProtection,
      },
      // The server reads its key as its identity when it is created.
      dependsOn: [afterRoleAssignments(this, 'encryption-key-access-propagated', grants)],
    });

    new PostgresqlFlexibleServerActiveDirectoryAdministrator(this, 'entra-administrator', {
      serverName: server.name,
      resourceGroupName: props.resourceGroupName,
      tenantId: props.tenantId,
      objectId: props.administratorObjectId,
      principalName: props.administratorPrincipalName,
      principalType: props.administratorPrincipalType ?? 'Group',
    });

    const settings: Record<string, string> = {
      require_secure_transport: 'on',
      ssl_min_protocol_version: 'TLSv1.2',
      ...POSTGRES_LOG_SETTINGS,
    };
    for (const [setting, value] of Object.entries(settings)) {
      new PostgresqlFlexibleServerConfiguration(this, `config-${setting.replace(/_/g, '-')}`, { serverId: server.id, name: setting, value });
    }

    const database = new PostgresqlFlexibleServerDatabase(this, 'database', {
      serverId: server.id,
      name: resolved.databaseName,
      charset: 'UTF8',
      collation: 'en_US.utf8',
      lifecycle: resolved.deletionProtection ? { preventDestroy: true } : undefined,
    });

    this.addPrivateEndpoint(props, server);

    const secret = new KeyVaultSecret(this, 'connection-secret', {
      name: resolved.connectionSecretName,
      keyVaultId: props.connectionSecretVaultId,
      dependsOn: props.connectionSecretDependsOn ? [...props.connectionSecretDependsOn] : undefined,
      lifecycle: resolved.deletionProtection ? { preventDestroy: true } : undefined,
      contentType: 'application/json',
      value: Fn.jsonencode({
        engine: 'postgres',
        host: server.fqdn,
        port: POSTGRES_PORT,
        dbname: database.name,
        username: props.administratorPrincipalName,
        authentication: 'microsoft-entra-id',
        sslmode: 'verify-full',
      }),
    });

    this.addMonitoring(props, server);

    this.endpoint = server.fqdn;
    this.databaseName = resolved.databaseName;
    this.connectionSecretName = resolved.connectionSecretName;
    this.connectionSecretId = secret.versionlessId;
    this.resourceId = server.id;
    this.metricsResourceId = server.id;
    this.encryptionIdentityPrincipalId = identity.principalId;
    this.serverName = server.name;
  }

  private addPrivateEndpoint(props: AzureDatabaseProps, server: PostgresqlFlexibleServer): void {
    const zoneId =
      props.privateDnsZoneId ??
      addPostgresPrivateDnsZone(this, { resourceGroupName: props.resourceGroupName, virtualNetworkId: props.virtualNetworkId!, linkName: `${props.name}-postgres` });
    new PrivateEndpoint(this, 'private-endpoint', {
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      name: `pe-${props.name}-postgres`,
      subnetId: props.privateEndpointSubnetId,
      privateServiceConnection: {
        name: `${props.name}-postgres`,
        privateConnectionResourceId: server.id,
        subresourceNames: ['postgresqlServer'],
        isManualConnection: false,
      },
      privateDnsZoneGroup: { name: 'postgres', privateDnsZoneIds: [zoneId] },
    });
  }

  private addMonitoring(props: AzureDatabaseProps, server: PostgresqlFlexibleServer): void {
    const { sustainedMinutes } = DATABASE_ALERT_THRESHOLDS;
    const alert = (alertId: string, metricName: string, aggregation: string, operator: string, threshold: number, description: string, severity = 2) =>
      new MonitorMetricAlert(this, `alert-${alertId}`, {
        name: `${props.name}-postgres-${alertId}`,
        resourceGroupName: props.resourceGroupName,
        scopes: [server.id],
        description: `PostgreSQL ${props.name}: ${description}`,
        severity,
        frequency: 'PT5M',
        windowSize: `PT${sustainedMinutes}M`,
        criteria: [{ metricNamespace: METRIC_NAMESPACE, metricName, aggregation, operator, threshold }],
        action: [{ actionGroupId: props.actionGroupId }],
      });
    alert('cpu', 'cpu_percent', 'Average', 'GreaterThan', DATABASE_ALERT_THRESHOLDS.cpuPercent, `CPU above ${DATABASE_ALERT_THRESHOLDS.cpuPercent}%`);
    const connections = connectionsAlertThreshold(props.size, 'azure');
    alert('connections', 'active_connections', 'Maximum', 'GreaterThan', connections, `more than ${connections} connections (80% of the default max_connections)`);
    alert('storage', 'storage_percent', 'Maximum', 'GreaterThan', DATABASE_ALERT_THRESHOLDS.storageUsedPercent, `storage above ${DATABASE_ALERT_THRESHOLDS.storageUsedPercent}%`);
    alert('alive', 'is_db_alive', 'Minimum', 'LessThan', 1, 'the server is not answering', 1);
    new MonitorActivityLogAlert(this, 'alert-resource-health', {
      name: `${props.name}-postgres-resource-health`,
      resourceGroupName: props.resourceGroupName,
      location: 'global',
      scopes: [server.id],
      description: `PostgreSQL ${props.name}: Resource Health reports it degraded or unavailable (failovers, platform and backup problems)`,
      criteria: {
        category: 'ResourceHealth',
        resourceHealth: { current: ['Degraded', 'Unavailable'] },
      },
      action: [{ actionGroupId: props.actionGroupId }],
    });
  }

  private validate(props: AzureDatabaseProps, serverName: string, backupRetentionDays: number, highAvailability: boolean, geoRedundantBackup: boolean): void {
    const path = this.node.path;
    const problems = databasePropsProblems(this, props);
    if (props.serverName !== undefined && !Token.isUnresolved(serverName) && !AZURE_POSTGRES_SERVER_NAME.test(serverName)) {
      problems.push(
        `${path}: serverName ${describeValue(serverName)} is not a flexible server name (3-63 lowercase letters, digits and hyphens, not starting or ending with a hyphen)`,
      );
    }
    if (!(AZURE_POSTGRES_STORAGE_GIB as readonly number[]).includes(props.storageGiB)) {
      problems.push(`${path}: storageGiB ${describeValue(props.storageGiB)} is not a flexible server storage size (one of ${AZURE_POSTGRES_STORAGE_GIB.join(', ')})`);
    }
    if (backupRetentionDays < AZURE_MIN_BACKUP_RETENTION_DAYS) {
      problems.push(`${path}: backupRetentionDays ${backupRetentionDays} is below what flexible servers keep (7 to 35 days)`);
    }
    if (highAvailability && DATABASE_INSTANCE_CLASSES[props.size].azure.startsWith('B_')) {
      problems.push(
        `${path}: size ${describeValue(props.size)} is Burstable (${DATABASE_INSTANCE_CLASSES[props.size].azure}), which has no high availability on Azure; use medium or larger, or highAvailability: false`,
      );
    }
    if ((props.virtualNetworkId === undefined) === (props.privateDnsZoneId === undefined)) {
      problems.push(`${path}: give virtualNetworkId (a new private DNS zone is linked to it) or privateDnsZoneId (an existing zone), but not both`);
    }
    if (geoRedundantBackup && (props.geoBackupKey === undefined || props.geoBackupLocation === undefined)) {
      problems.push(`${path}: geoRedundantBackup needs geoBackupKey and geoBackupLocation (a key and identity in the paired region encrypt the geo backups)`);
    }
    if (problems.length > 0) throw new IdpkitError('IDPKIT_INVALID_PROPS', problems);
  }
}

/** Props of {@link AzurePostgresPrivateDnsZone}. */
export interface AzurePostgresPrivateDnsZoneProps {
  /** Resource group of the zone (one `privatelink.postgres.database.azure.com` zone fits in a resource group). */
  readonly resourceGroupName: string;
  /** VNet the zone is linked to, so that it resolves the servers' private addresses. */
  readonly virtualNetworkId: string;
  /** Name of the VNet link, e.g. `<env>-postgres`. */
  readonly linkName: string;
}

/** Creates the `privatelink.postgres.database.azure.com` zone and its VNet link in a scope; returns the zone id. */
function addPostgresPrivateDnsZone(scope: Construct, props: AzurePostgresPrivateDnsZoneProps): string {
  const zone = new PrivateDnsZone(scope, 'private-dns-zone', { name: POSTGRES_PRIVATE_DNS_ZONE, resourceGroupName: props.resourceGroupName });
  new PrivateDnsZoneVirtualNetworkLink(scope, 'private-dns-zone-link', {
    name: props.linkName,
    resourceGroupName: props.resourceGroupName,
    privateDnsZoneName: zone.name,
    virtualNetworkId: props.virtualNetworkId,
    registrationEnabled: false,
  });
  return zone.id;
}

/**
 * The private DNS zone `privatelink.postgres.database.azure.com` of flexible server private
 * endpoints, linked to a VNet (no auto-registration), made once for every server of a resource
 * group: a zone name is unique in its resource group, so servers share it through
 * {@link AzureDatabaseProps.privateDnsZoneId}. Each server's private endpoint adds its own A record
 * (`private_dns_zone_group`), the same way the registry's `privatelink.azurecr.io` zone works.
 *
 * @see https://learn.microsoft.com/azure/private-link/private-endpoint-dns#databases
 * @see https://registry.terraform.io/providers/hashicorp/azurerm/4.55.0/docs/resources/private_dns_zone
 * @example
 * declare const network: AzureNetwork;
 * const zone = new AzurePostgresPrivateDnsZone(this, 'postgres-private-dns', { resourceGroupName: 'rg-idp-prod', virtualNetworkId: network.networkId, linkName: 'prod-postgres' });
 * zone.zoneId; // privateDnsZoneId of each AzureDatabase in the network
 */
export class AzurePostgresPrivateDnsZone extends Construct {
  /** Resource id of the zone. */
  readonly zoneId: string;

  constructor(scope: Construct, id: string, props: AzurePostgresPrivateDnsZoneProps) {
    super(scope, id);
    this.zoneId = addPostgresPrivateDnsZone(this, props);
  }
}
