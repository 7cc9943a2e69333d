import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KubernetesObject } from '../../constructs/core/manifests';
import { cachedFiles } from './synthesized-sets';

/** One object's result: its identity and, when the upstream schema rejects it, why. */
export interface SchemaResult {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly error?: string;
}

const VALIDATOR = join(__dirname, 'validate-kubernetes-objects.mjs');

/**
 * Validates objects against the upstream schemas of the kubernetes-models packages (ES modules,
 * so in a child Node.js process). One call per test file: each call starts a process. The results
 * for the same objects, validator and installed packages are kept (cachedFiles), so a run after
 * the first starts no process for objects that did not change.
 */
export function validateWithUpstreamSchemas(objects: readonly KubernetesObject[]): SchemaResult[] {
  const { output } = cachedFiles('kubernetes-schemas', [readFileSync(VALIDATOR, 'utf8'), objects], () => ({
    output: execFileSync(process.execPath, [VALIDATOR], { input: JSON.stringify(objects), encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 }),
  }));
  return JSON.parse(output) as SchemaResult[];
}

/** The objects the upstream schemas reject, as `<kind>/<name>: <error>` lines (empty when all are valid). */
export function schemaViolations(objects: readonly KubernetesObject[]): string[] {
  return validateWithUpstreamSchemas(objects)
    .filter((result) => result.error !== undefined)
    .map((result) => `${result.kind}/${result.name}: ${result.error}`);
}
