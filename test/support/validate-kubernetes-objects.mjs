// Validates Kubernetes objects against the upstream schemas of the kubernetes-models packages
// (core, Argo CD, cert-manager, External Secrets, Istio, Gateway API, CloudNativePG). Those
// packages are ES modules only, so Jest runs this file in a child process (see
// kubernetes-schemas.ts): it reads a JSON array of objects on stdin and prints one result per
// object: { apiVersion, kind, name, error? }. An object no package covers is an error.
import { readFileSync } from 'node:fs';

/** API group -> package that holds its models. */
const PACKAGES = {
  '': 'kubernetes-models',
  'argoproj.io': '@kubernetes-models/argo-cd',
  'cert-manager.io': '@kubernetes-models/cert-manager',
  'acme.cert-manager.io': '@kubernetes-models/cert-manager',
  'external-secrets.io': '@kubernetes-models/external-secrets',
  'generators.external-secrets.io': '@kubernetes-models/external-secrets',
  'networking.istio.io': '@kubernetes-models/istio',
  'security.istio.io': '@kubernetes-models/istio',
  'telemetry.istio.io': '@kubernetes-models/istio',
  'gateway.networking.k8s.io': '@kubernetes-models/gateway-api',
  'postgresql.cnpg.io': '@kubernetes-models/cloudnative-pg',
  'monitoring.coreos.com': '@kubernetes-models/cloudnative-pg',
};

/** Built-in groups served by kubernetes-models itself. */
const BUILT_IN = /(^|\.)k8s\.io$|^(apps|batch|policy|autoscaling)$/;

function modulePath(apiVersion) {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  if (group === '') return `kubernetes-models/${version}`;
  const pkg = PACKAGES[group] ?? (BUILT_IN.test(group) && group !== 'gateway.networking.k8s.io' ? 'kubernetes-models' : undefined);
  return pkg && `${pkg}/${group}/${version}`;
}

const objects = JSON.parse(readFileSync(0, 'utf8'));
const results = [];
for (const object of objects) {
  const result = { apiVersion: object?.apiVersion, kind: object?.kind, name: object?.metadata?.name };
  const path = typeof object?.apiVersion === 'string' ? modulePath(object.apiVersion) : undefined;
  try {
    if (!path) throw new Error(`no upstream schema package for apiVersion ${object?.apiVersion}`);
    const models = await import(path);
    const Model = models[object.kind];
    if (!Model) throw new Error(`${path} has no kind ${object.kind}`);
    new Model(object).validate();
  } catch (error) {
    result.error = error.message;
  }
  results.push(result);
}
process.stdout.write(JSON.stringify(results));
