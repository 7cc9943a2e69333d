import { DataAzurermClientConfig } from '@cdktf/provider-azurerm/lib/data-azurerm-client-config';
import { KeyVault } from '@cdktf/provider-azurerm/lib/key-vault';
import { KeyVaultKey } from '@cdktf/provider-azurerm/lib/key-vault-key';
import { PrivateDnsZone } from '@cdktf/provider-azurerm/lib/private-dns-zone';
import { PrivateDnsZoneVirtualNetworkLink } from '@cdktf/provider-azurerm/lib/private-dns-zone-virtual-network-link';
import { PrivateEndpoint } from '@cdktf/provider-azurerm/lib/private-endpoint';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { Construct } from 'constructs';
import { EncryptionKey, EncryptionKeyProps, KEY_ROTATION_DAYS } from '.';
import { Token } from '../../core/cdktf';
import type { ITerraformDependable } from '../../core/cdktf';
import { afterRoleAssignments } from '../../integration/provider/azure';
import { IdpkitError } from '../../core/errors';
import { tierDefault } from '../../core/tiers';
import { KEY_VAULT_CRYPTO_SERVICE_ENCRYPTION_USER } from '../../integration/identity/azure';

/** Days Key Vault keeps a deleted vault or key recoverable (soft delete) when none is given: the longest it allows. */
export const DEFAULT_KEY_VAULT_SOFT_DELETE_DAYS = 90;

/** Size of the RSA keys idpkit creates: 3072 bits, the smallest size NIST allows past 2030. */
export const AZURE_KEY_SIZE = 3072;

/** Days before a key version expires that Event Grid gets a "near expiry" event. */
export const KEY_EXPIRY_NOTICE_DAYS = 30;

export { KEY_VAULT_CRYPTO_SERVICE_ENCRYPTION_USER };

/** Key Vault's built-in role for managing keys (what Terraform needs to create keys and rotation policies). */
export const KEY_VAULT_CRYPTO_OFFICER = 'Key Vault Crypto Officer';

/** The built-in role that manages secrets (not keys) in an RBAC Key Vault. */
export const KEY_VAULT_SECRETS_OFFICER = 'Key Vault Secrets Officer';

/** Built-in role to encrypt and decrypt with a key (what AKS KMS needs). */
export const KEY_VAULT_CRYPTO_USER = 'Key Vault Crypto User';

/** The private DNS zone of Key Vault private endpoints. */
export const KEY_VAULT_PRIVATE_DNS_ZONE = 'privatelink.vaultcore.azure.net';

/** Where a private Key Vault's private endpoint sits, and the VNet that resolves it. */
export interface AzureKeyVaultPrivateEndpoint {
  /** Subnet of the vault's private endpoint. */
  readonly subnetId: string;
  /** VNet the `privatelink.vaultcore.azure.net` zone is linked to, so the vault's name resolves to the endpoint there. */
  readonly virtualNetworkId: string;
  /** Name of the zone's VNet link. */
  readonly linkName: string;
}

/** Props of {@link AzureKeyVault}. */
export interface AzureKeyVaultProps {
  /** Vault name, globally unique: 3-24 letters, digits and single hyphens, starting with a letter. */
  readonly name: string;
  /** Resource group of the vault. */
  readonly resourceGroupName: string;
  /** Azure location of the vault (keys used for disk encryption must be in the disks' location). */
  readonly location: string;
  /** Entra ID tenant that authorizes requests to the vault. */
  readonly tenantId: string;
  /** `premium` keeps keys in HSMs (FIPS 140-3 level 3); `standard` in software. @default "premium" */
  readonly skuName?: 'standard' | 'premium';
  /** Days a deleted vault or key stays recoverable, 7 to 90; purge protection is always on. @default 90 */
  readonly softDeleteRetentionDays?: number;
  /**
   * IPv4 addresses or CIDRs allowed to reach the vault's data plane; when given, everything else
   * is denied except trusted Azure services. @default - reachable from any network (every call
   * still needs an Entra ID token and an RBAC role; Terraform must reach the vault to create keys)
   */
  readonly allowedIpRanges?: readonly string[];
  /**
   * Make the vault private: public network access off, reached only through a private endpoint in
   * this subnet, with a `privatelink.vaultcore.azure.net` zone linked to the VNet (what AKS KMS in
   * `Private` mode needs). Terraform must then run where that zone resolves (a runner in the VNet
   * or a peered one) to create keys and secrets; `allowedIpRanges` no longer apply.
   * @default - public network access on (with `allowedIpRanges`, if any)
   */
  readonly privateEndpoint?: AzureKeyVaultPrivateEndpoint;
  /** Refuse `terraform destroy` of the vault (`prevent_destroy`). @default - the tier's `deletionProtection` (prod only); true without a tier */
  readonly deletionProtection?: boolean;
}

/**
 * An Azure Key Vault hardened the way the Key Vault security baseline says: Azure RBAC for the data
 * plane (no access policies), purge protection on, 90-day soft delete, HSM-backed keys in the
 * premium SKU; with `privateEndpoint`, no public network access and a private endpoint whose
 * `privatelink.vaultcore.azure.net` zone is linked to the VNet. The principal that runs Terraform gets Key Vault Crypto Officer on the vault so it
 * can create keys and their rotation policies; services get narrower roles through the keys'
 * grant methods.
 *
 * @see https://learn.microsoft.com/azure/key-vault/general/secure-key-vault
 * @see https://registry.terraform.io/providers/hashicorp/azurerm/4.55.0/docs/resources/key_vault
 * @example
 * const vault = new AzureKeyVault(this, 'key-vault', { name: 'kvprod3f1c2a9b', resourceGroupName: 'rg-idp-prod', location: 'westeurope', tenantId: '00000000-0000-0000-0000-0000000000aa' });
 * const key = vault.addKey('disks', { alias: 'aks-disks', description: 'AKS node disks of prod' });
 */
export class AzureKeyVault extends Construct {
  /** The vault's resource id. */
  readonly vaultId: string;
  /** The vault's name (a reference to the vault, so users wait for it). */
  readonly vaultName: string;
  /** The vault's data-plane URI, e.g. `https://kvprod3f1c2a9b.vault.azure.net/`. */
  readonly vaultUri: string;
  /** The vault's SKU. */
  readonly skuName: 'standard' | 'premium';
  /** Whether the vault, and by default its keys, refuse `terraform destroy` (`prevent_destroy`). */
  readonly deletionProtection: boolean;
  /** Terraform's own role on the vault (Key Vault Crypto Officer). */
  readonly deployerAccess: RoleAssignment;
  /** What keys wait for: {@link deployerAccess}, given time to take effect (Key Vault checks RBAC on every data-plane call). */
  readonly deployerAccessReady: ITerraformDependable;
  /** Whether the vault is reached only through its private endpoint (public network access off). */
  readonly isPrivate: boolean;
  /**
   * What every data-plane write (keys, secrets) waits for: the deployer's role and, for a private
   * vault, the private endpoint whose DNS record lets Terraform reach the vault.
   */
  readonly dataPlaneReady: readonly ITerraformDependable[];
  private readonly deployer: DataAzurermClientConfig;
  private deployerSecretsAccessReady?: ITerraformDependable;

  constructor(scope: Construct, id: string, props: AzureKeyVaultProps) {
    super(scope, id);
    const softDeleteRetentionDays = props.softDeleteRetentionDays ?? DEFAULT_KEY_VAULT_SOFT_DELETE_DAYS;
    this.validate(props, softDeleteRetentionDays);
    this.skuName = props.skuName ?? 'premium';
    this.deletionProtection = props.deletionProtection ?? tierDefault(this, (rules) => rules.deletionProtection, true);
    const ipRanges = [...(props.allowedIpRanges ?? [])];
    this.isPrivate = props.privateEndpoint !== undefined;

    const vault = new KeyVault(this, 'vault', {
      name: props.name,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      tenantId: props.tenantId,
      skuName: this.skuName,
      rbacAuthorizationEnabled: true,
      purgeProtectionEnabled: true,
      softDeleteRetentionDays,
      enabledForDeployment: false,
      enabledForTemplateDeployment: false,
      enabledForDiskEncryption: false,
      publicNetworkAccessEnabled: !this.isPrivate,
      networkAcls:
        this.isPrivate || ipRanges.length > 0
          ? { defaultAction: 'Deny', bypass: 'AzureServices', ipRules: this.isPrivate ? undefined : ipRanges }
          : { defaultAction: 'Allow', bypass: 'AzureServices' },
      lifecycle: this.deletionProtection ? { preventDestroy: true } : undefined,
    });
    this.deployer = new DataAzurermClientConfig(this, 'deployer', {});
    this.deployerAccess = new RoleAssignment(this, 'deployer-manages-keys', {
      scope: vault.id,
      roleDefinitionName: KEY_VAULT_CRYPTO_OFFICER,
      principalId: this.deployer.objectId,
      description: 'Lets Terraform create keys and rotation policies in this vault',
    });
    this.deployerAccessReady = afterRoleAssignments(this, 'deployer-manages-keys-propagated', [this.deployerAccess]);
    const endpoint = props.privateEndpoint && this.addPrivateEndpoint(props, props.privateEndpoint, vault);
    this.dataPlaneReady = endpoint ? [this.deployerAccessReady, endpoint] : [this.deployerAccessReady];
    this.vaultId = vault.id;
    this.vaultName = vault.name;
    this.vaultUri = vault.vaultUri;
  }

  /**
   * Lets the principal that runs Terraform write secrets in this vault (Key Vault Secrets Officer),
   * for secrets Terraform itself writes, e.g. database connection details. Created once.
   *
   * @returns what the secrets must depend on: the role assignment, given time to take effect (and a private vault's endpoint)
   */
  grantDeployerSecretsOfficer(): readonly ITerraformDependable[] {
    if (!this.deployerSecretsAccessReady) {
      const access = new RoleAssignment(this, 'deployer-manages-secrets', {
        scope: this.vaultId,
        roleDefinitionName: KEY_VAULT_SECRETS_OFFICER,
        principalId: this.deployer.objectId,
        description: 'Lets Terraform write secrets it creates (connection details) in this vault',
      });
      this.deployerSecretsAccessReady = afterRoleAssignments(this, 'deployer-manages-secrets-propagated', [access]);
    }
    return [this.deployerSecretsAccessReady, ...this.dataPlaneReady.slice(1)];
  }

  /** The private endpoint (subresource `vault`) and its `privatelink.vaultcore.azure.net` zone, linked to the VNet. */
  private addPrivateEndpoint(props: AzureKeyVaultProps, endpoint: AzureKeyVaultPrivateEndpoint, vault: KeyVault): PrivateEndpoint {
    const zone = new PrivateDnsZone(this, 'private-dns-zone', { name: KEY_VAULT_PRIVATE_DNS_ZONE, resourceGroupName: props.resourceGroupName });
    new PrivateDnsZoneVirtualNetworkLink(this, 'private-dns-zone-link', {
      name: endpoint.linkName,
      resourceGroupName: props.resourceGroupName,
      privateDnsZoneName: zone.name,
      virtualNetworkId: endpoint.virtualNetworkId,
      registrationEnabled: false,
    });
    return new PrivateEndpoint(this, 'private-endpoint', {
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      name: `pe-${vault.name}`,
      subnetId: endpoint.subnetId,
      privateServiceConnection: { name: `${vault.name}-vault`, privateConnectionResourceId: vault.id, subresourceNames: ['vault'], isManualConnection: false },
      privateDnsZoneGroup: { name: 'vault', privateDnsZoneIds: [zone.id] },
    });
  }

  /** Creates an RSA key in this vault that rotates yearly. */
  addKey(id: string, props: EncryptionKeyProps & Partial<Pick<AzureKeyVaultKeyProps, 'keySize' | 'hsmProtected' | 'encryptDecrypt' | 'deletionProtection'>>): AzureKeyVaultKey {
    return new AzureKeyVaultKey(this, id, { ...props, vault: this });
  }

  private validate(props: AzureKeyVaultProps, softDeleteRetentionDays: number): void {
    const problems: string[] = [];
    if (!Token.isUnresolved(props.name) && !/^(?=.{3,24}$)[a-zA-Z](?!.*--)[a-zA-Z0-9-]*[a-zA-Z0-9]$/.test(props.name)) {
      problems.push(`${this.node.path}: name "${props.name}" is not a Key Vault name (3-24 letters, digits and single hyphens, starting with a letter, not ending with a hyphen)`);
    }
    if (!Number.isInteger(softDeleteRetentionDays) || softDeleteRetentionDays < 7 || softDeleteRetentionDays > 90) {
      problems.push(`${this.node.path}: softDeleteRetentionDays ${softDeleteRetentionDays} is outside what Key Vault allows (7 to 90)`);
    }
    if (problems.length > 0) throw new IdpkitError('IDPKIT_INVALID_PROPS', problems);
  }
}

/** Props of {@link AzureKeyVaultKey}. */
export interface AzureKeyVaultKeyProps extends EncryptionKeyProps {
  /** The vault that holds the key. */
  readonly vault: AzureKeyVault;
  /** RSA key size in bits: 3072 or 4096. @default 3072 */
  readonly keySize?: 3072 | 4096;
  /** Keep the key in an HSM (`RSA-HSM`, premium vaults only). @default - true in a premium vault */
  readonly hsmProtected?: boolean;
  /** Also allow encrypt and decrypt, which AKS KMS etcd encryption uses. @default false (wrap and unwrap only) */
  readonly encryptDecrypt?: boolean;
  /**
   * Refuse `terraform destroy` of the key (`prevent_destroy`): deleting a key makes everything it
   * encrypts unreadable. @default - the vault's `deletionProtection`
   */
  readonly deletionProtection?: boolean;
}

/**
 * An RSA key in Key Vault for customer-managed encryption (disk encryption sets, registries,
 * storage): 3072 bits, only wrap and unwrap allowed, a new version every year by the key's rotation
 * policy, each version expiring two years after it is created with a notice 30 days before.
 * Services that follow the versionless id (`keyId`) pick up new versions themselves. The key
 * carries `prevent_destroy` when its vault does (or `deletionProtection` says so).
 *
 * `EncryptionKeyProps.deletionWindowDays` does not apply: deleted keys follow the vault's soft delete.
 *
 * @see https://learn.microsoft.com/azure/key-vault/keys/how-to-configure-key-rotation
 * @example
 * import { UserAssignedIdentity } from '@cdktf/provider-azurerm/lib/user-assigned-identity';
 * declare const vault: AzureKeyVault;
 * declare const identity: UserAssignedIdentity;
 * const key = new AzureKeyVaultKey(this, 'registry-key', { vault, alias: 'acr', description: 'Images of prod' });
 * key.grantEncryptionUser(identity.principalId);
 */
export class AzureKeyVaultKey extends Construct implements EncryptionKey {
  /** The versionless key id (`https://<vault>.vault.azure.net/keys/<name>`), which follows rotations. */
  readonly keyId: string;
  /** The key's Azure resource id (versionless), the scope of role assignments on the key. */
  readonly resourceId: string;
  /** The key's id with its current version, for services that pin a version (AKS KMS). */
  readonly versionedKeyId: string;
  /** The key's name. */
  readonly name: string;
  /** Whether the key's vault is private: services reach the key only through the vault's private endpoint (AKS KMS in `Private` mode). */
  readonly isPrivate: boolean;
  /** The resource id of the key's vault. */
  readonly vaultId: string;
  private grants = 0;

  constructor(scope: Construct, id: string, props: AzureKeyVaultKeyProps) {
    super(scope, id);
    const keySize = props.keySize ?? AZURE_KEY_SIZE;
    const hsm = props.hsmProtected ?? props.vault.skuName === 'premium';
    const problems: string[] = [];
    if (!Token.isUnresolved(props.alias) && !/^[a-zA-Z0-9-]{1,127}$/.test(props.alias)) {
      problems.push(`${this.node.path}: alias "${props.alias}" is not a Key Vault key name (1-127 letters, digits and hyphens)`);
    }
    if (keySize !== 3072 && keySize !== 4096) problems.push(`${this.node.path}: keySize ${keySize} is not allowed (3072 or 4096)`);
    if (hsm && props.vault.skuName !== 'premium') problems.push(`${this.node.path}: hsmProtected keys need a premium vault, but the vault is ${props.vault.skuName}`);
    if (problems.length > 0) throw new IdpkitError('IDPKIT_INVALID_PROPS', problems);

    const key = new KeyVaultKey(this, 'key', {
      name: props.alias,
      keyVaultId: props.vault.vaultId,
      keyType: hsm ? 'RSA-HSM' : 'RSA',
      keySize,
      keyOpts: props.encryptDecrypt ? ['encrypt', 'decrypt', 'wrapKey', 'unwrapKey'] : ['wrapKey', 'unwrapKey'],
      rotationPolicy: {
        automatic: { timeAfterCreation: `P${KEY_ROTATION_DAYS}D` },
        expireAfter: `P${2 * KEY_ROTATION_DAYS}D`,
        notifyBeforeExpiry: `P${KEY_EXPIRY_NOTICE_DAYS}D`,
      },
      tags: { purpose: props.description },
      dependsOn: [...props.vault.dataPlaneReady],
      lifecycle: (props.deletionProtection ?? props.vault.deletionProtection) ? { preventDestroy: true } : undefined,
    });
    this.keyId = key.versionlessId;
    this.versionedKeyId = key.id;
    this.resourceId = key.resourceVersionlessId;
    this.name = key.name;
    this.isPrivate = props.vault.isPrivate;
    this.vaultId = props.vault.vaultId;
  }

  /**
   * Gives a principal (e.g. a managed identity's principal id) Key Vault Crypto Service Encryption
   * User on this key only: read the key and wrap and unwrap with it, nothing else.
   *
   * @returns the role assignment, for resources that must wait for it
   */
  grantEncryptionUser(principalId: string, principalType: 'ServicePrincipal' | 'Group' | 'User' = 'ServicePrincipal'): RoleAssignment {
    return this.grant('encryption-user', KEY_VAULT_CRYPTO_SERVICE_ENCRYPTION_USER, principalId, principalType, `Wrap and unwrap with key ${this.node.path}`);
  }

  /**
   * Gives a principal Key Vault Crypto User on this key only: encrypt and decrypt with it (AKS KMS
   * etcd encryption needs this; the key must allow `encryptDecrypt`).
   *
   * @returns the role assignment, for resources that must wait for it
   */
  grantCryptoUser(principalId: string, principalType: 'ServicePrincipal' | 'Group' | 'User' = 'ServicePrincipal'): RoleAssignment {
    return this.grant('crypto-user', KEY_VAULT_CRYPTO_USER, principalId, principalType, `Encrypt and decrypt with key ${this.node.path}`);
  }

  private grant(idPrefix: string, roleDefinitionName: string, principalId: string, principalType: 'ServicePrincipal' | 'Group' | 'User', description: string): RoleAssignment {
    this.grants += 1;
    return new RoleAssignment(this, `${idPrefix}-${this.grants}`, {
      scope: this.resourceId,
      roleDefinitionName,
      principalId,
      principalType,
      skipServicePrincipalAadCheck: principalType === 'ServicePrincipal' ? true : undefined,
      description,
    });
  }
}
