import type { ScoreFile } from '../../../../constructs/orchestration/workloads/types';

/** A Score file for tests: `spec` written as JSON (which YAML reads), at `<name>/score.yaml` unless `path` is given. */
export function scoreFile(spec: Record<string, unknown>, path?: string): ScoreFile {
  const name = (spec.metadata as { name?: string } | undefined)?.name ?? 'workload';
  return { path: path ?? `${name}/score.yaml`, text: JSON.stringify({ apiVersion: 'score.dev/v1b1', ...spec }, null, 2) };
}

/** A minimal workload: one container `main` of a fixed image, and `extra` merged in. */
export function workloadFile(name: string, extra: Record<string, unknown> = {}, container: Record<string, unknown> = {}): ScoreFile {
  const { containers, ...rest } = extra as { containers?: Record<string, unknown> };
  return scoreFile({ metadata: { name }, containers: containers ?? { main: { image: `ghcr.io/acme/${name}:1.0.0`, ...container } }, ...rest });
}
