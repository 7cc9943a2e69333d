import { Construct } from 'constructs';
import { TerraformStack, Testing } from '../constructs/core/cdktf';
import { AZURE_ROLE_PROPAGATION_SECONDS, createAzureProvider } from '../constructs/integration/provider/azure';
import { TerraformJson, synthJson } from './helpers';

/** Placeholder ids the Azure tests use. */
export const TEST_SUBSCRIPTION = '00000000-0000-0000-0000-000000000001';
export const TEST_TENANT = '00000000-0000-0000-0000-0000000000aa';
export const TEST_ADMIN_GROUP = '00000000-0000-0000-0000-0000000000ad';

/** A stack with an azurerm provider (and its tags aspect), for testing one construct. */
export function azureTestStack(build: (stack: Construct) => void, stackName = 'test'): TerraformJson {
  const stack = new TerraformStack(Testing.app(), stackName);
  createAzureProvider(stack, 'azurerm', {
    subscriptionId: TEST_SUBSCRIPTION,
    tenantId: TEST_TENANT,
    tags: { environment: 'test', owner: 'team', costCenter: 'cc' },
  });
  build(stack);
  return synthJson(stack);
}

/** The Terraform address (`type.name`) of the one resource of a type that matches. */
export function addressOf(json: TerraformJson, type: string, match: (body: any) => boolean = () => true): string {
  const found = Object.entries(json.resource[type] ?? {}).filter(([, body]) => match(body));
  if (found.length !== 1) throw new Error(`expected one matching ${type}, found ${found.length}`);
  return `${type}.${found[0][0]}`;
}

/** A Terraform reference to an attribute of the one matching resource, e.g. `${azurerm_subnet.x.id}`. */
export const refTo = (json: TerraformJson, type: string, attribute: string, match?: (body: any) => boolean): string =>
  `\${${addressOf(json, type, match)}.${attribute}}`;

/**
 * The role assignments a resource waits for before it is created: those a `time_sleep` it depends
 * on follows (the sleep's triggers reference them), given `seconds` to take effect. A role
 * assignment it depends on directly, with no time to propagate, is listed as `<address> (no wait)`.
 */
export function rolesAwaited(json: TerraformJson, body: { depends_on?: string[] }, seconds = AZURE_ROLE_PROPAGATION_SECONDS): string[] {
  return (body.depends_on ?? []).flatMap((dependency) => {
    if (dependency.startsWith('azurerm_role_assignment.')) return [`${dependency} (no wait)`];
    if (!dependency.startsWith('time_sleep.')) return [];
    const sleep = json.resource.time_sleep[dependency.slice('time_sleep.'.length)];
    if (sleep.create_duration !== `${seconds}s`) return [`${dependency} waits ${sleep.create_duration}, not ${seconds}s`];
    return Object.values(sleep.triggers as Record<string, string>).map((trigger) => /^\$\{(azurerm_role_assignment\.[^.]+)\.id\}$/.exec(trigger)?.[1] ?? trigger);
  });
}
