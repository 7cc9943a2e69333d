import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { Construct } from 'constructs';
import { parse } from 'yaml';
import { TerraformStack, Testing } from '../constructs/core/cdktf';
import { TerraformJson, resources, synthJson } from './helpers';

/** A stack with helm and kubernetes providers, for testing one add-on construct. */
export function helmStack(): TerraformStack {
  const stack = new TerraformStack(Testing.app(), 'test');
  new HelmProvider(stack, 'helm', {});
  new KubernetesProvider(stack, 'kubernetes', {});
  return stack;
}

/** Builds add-ons into a helm stack and synthesizes it. */
export function helmTestStack(build: (stack: Construct) => void): TerraformJson {
  const stack = helmStack();
  build(stack);
  return synthJson(stack);
}

/** The helm_release named `name`, with its values parsed. */
export function release(json: TerraformJson, name: string): { body: any; address: string; values: any } {
  const entry = Object.entries(json.resource.helm_release ?? {}).find(([, body]: [string, any]) => body.name === name);
  if (!entry) throw new Error(`no helm_release named ${name}`);
  const [id, body] = entry as [string, any];
  return { body, address: `helm_release.${id}`, values: parse(body.values[0]) };
}

/** Namespaces and their Pod Security enforce level. */
export function namespaceLevels(json: TerraformJson): Record<string, string> {
  return Object.fromEntries(
    resources(json, 'kubernetes_namespace_v1').map((ns) => [ns.metadata.name, ns.metadata.labels['pod-security.kubernetes.io/enforce']]),
  );
}
