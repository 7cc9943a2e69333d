// PLACEHOLDER of branch wl-cli, replaced by the engine's render.ts (branch wl-engine) at merge:
// it only lets `idpkit workload render` compile before the engine is on main.
import { IdpkitError } from '../../core/errors';
import type { RenderedWorkloads, RenderOptions, ScoreFile, WorkloadPlatform } from './types';

/** Placeholder: the engine is not merged yet. */
export function renderWorkloads(_files: readonly ScoreFile[], _platform: WorkloadPlatform, _options: RenderOptions): RenderedWorkloads {
  throw new IdpkitError('IDPKIT_INVALID_INPUT', ['the workload engine is not merged into this branch yet']);
}
