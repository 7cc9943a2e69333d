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
