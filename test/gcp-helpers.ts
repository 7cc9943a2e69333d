import { Construct } from 'constructs';
import { TerraformStack, Testing } from '../constructs/core/cdktf';
import { createGoogleProvider } from '../constructs/integration/provider/gcp';
import { TerraformJson, synthJson } from './helpers';

/** A stack with a Google provider (project acme-idp-test, europe-west1), for testing one GCP construct. */
export function gcpTestStack(build: (stack: Construct) => void): TerraformJson {
  const app = Testing.app();
  const stack = new TerraformStack(app, 'test');
  createGoogleProvider(stack, 'google', {
    projectId: 'acme-idp-test',
    region: 'europe-west1',
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

/** A reference to an attribute of a resource, as cdktf writes it: `${type.name.attribute}`. */
export const ref = (address: string, attribute: string): string => `\${${address}.${attribute}}`;

/** The body of the resource at an address. */
export const at = (json: TerraformJson, address: string): any => {
  const [type, name] = address.split('.');
  return json.resource[type][name];
};

/** The addresses of the google_project_service resources for these APIs, e.g. `container.googleapis.com`. */
export function serviceAddresses(json: TerraformJson, services: readonly string[]): string[] {
  return services.map((service) => addressOf(json, 'google_project_service', (body) => body.service === service));
}

/** The API each kind of google resource calls, for checking that enablement comes first. */
const API_OF_TYPE: readonly (readonly [RegExp, string])[] = [
  [/^google_compute_/, 'compute'],
  [/^google_container_/, 'container'],
  [/^google_kms_/, 'cloudkms'],
  [/^google_artifact_registry_/, 'artifactregistry'],
  [/^google_storage_/, 'storage'],
  [/^google_sql_/, 'sqladmin'],
  [/^google_secret_manager_/, 'secretmanager'],
  [/^google_service_networking_/, 'servicenetworking'],
  [/^google_service_account/, 'iam'],
  [/^google_project_iam_custom_role$/, 'iam'],
  [/^google_iam_workload_identity_pool/, 'iam'],
  [/^google_project_iam_member$/, 'cloudresourcemanager'],
  [/^google_billing_budget$/, 'billingbudgets'],
  [/^google_monitoring_/, 'monitoring'],
];

/** The API a google resource calls: its type's, or for `google_project_service_identity` the service it names. */
export function apiOf(type: string, body: any): string | undefined {
  if (type === 'google_project_service_identity') return body.service;
  const api = API_OF_TYPE.find(([pattern]) => pattern.test(type))?.[1];
  return api && `${api}.googleapis.com`;
}

/** Every address (`type.name`, `data.type.name`) a resource refers to or depends on, directly or not. */
export function dependenciesOf(json: TerraformJson, address: string): Set<string> {
  const bodies: Record<string, unknown> = {};
  for (const [type, items] of Object.entries(json.resource)) for (const [name, body] of Object.entries(items)) bodies[`${type}.${name}`] = body;
  for (const [type, items] of Object.entries(json.data ?? {})) for (const [name, body] of Object.entries(items)) bodies[`data.${type}.${name}`] = body;
  const seen = new Set<string>();
  const visit = (from: string) => {
    for (const match of JSON.stringify(bodies[from]).matchAll(/(data\.)?(google_[a-z0-9_]+)\.([A-Za-z0-9_-]+)/g)) {
      const to = `${match[1] ?? ''}${match[2]}.${match[3]}`;
      if (to in bodies && !seen.has(to)) {
        seen.add(to);
        visit(to);
      }
    }
  };
  visit(address);
  return seen;
}

/** Resources that do not reach the google_project_service of the API they call, as `address (api)`. */
export function resourcesBeforeTheirApi(json: TerraformJson): string[] {
  const enabled = (address: string) => (address.startsWith('google_project_service.') ? json.resource.google_project_service[address.split('.')[1]].service : undefined);
  return Object.entries(json.resource).flatMap(([type, items]) =>
    Object.entries(items).flatMap(([name, body]) => {
      const api = apiOf(type, body);
      if (!api || type === 'google_project_service') return [];
      const address = `${type}.${name}`;
      return [...dependenciesOf(json, address)].some((dependency) => enabled(dependency) === api) ? [] : [`${address} (${api})`];
    }),
  );
}
