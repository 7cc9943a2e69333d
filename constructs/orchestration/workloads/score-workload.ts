import { Construct } from 'constructs';
import type { KubernetesObject } from '../../core/manifests';
import { ManifestsRelease } from '../../core/manifests';
import { renderWorkloads } from './render';
import type { RenderOptions, RenderedWorkloads, ScoreFile, WorkloadPlatform } from './types';

/** Props of {@link ScoreWorkload}. */
export interface ScoreWorkloadProps {
  /** The Score files (path for messages and relative `files.*.source`, and text). */
  readonly files: readonly ScoreFile[];
  /** The environment the workloads run in (`workloadPlatformOf(env)` for an idpkit environment). */
  readonly platform: WorkloadPlatform;
  /** Namespace, images, variables, how to read local files. */
  readonly options: RenderOptions;
  /** Releases the objects need first (the namespace's release, add-ons whose CRDs they use). @default [] */
  readonly dependsOn?: ConstructorParameters<typeof ManifestsRelease>[2]['dependsOn'];
  /** Objects left out of the release because Terraform creates them (e.g. ServiceAccounts whose identity annotation is known only at apply). @default - none */
  readonly exclude?: (object: KubernetesObject) => boolean;
  /** Name of the Helm release of the objects. @default "workloads-<namespace>" */
  readonly releaseName?: string;
}

/**
 * Score workloads in a cdktf stack: the engine of `idpkit workload render` (same objects, same
 * errors), applied as one release in the namespace. {@link ScoreWorkload.rendered} gives the
 * objects, the GitOps layout files and the cloud resources the workloads ask for, which the stack
 * creates (a team stack's `TeamStack` does: buckets with workload identity grants, databases).
 *
 * @see docs/workloads.md
 * @example
 * const env = loadEnvironmentFile('environments/dev.json');
 * new ScoreWorkload(this, 'web', {
 *   files: [{ path: 'score.yaml', text: readFileSync('score.yaml', 'utf8') }],
 *   platform: workloadPlatformOf(env), options: { namespace: 'payments' },
 * });
 */
export class ScoreWorkload extends Construct {
  /** What the engine rendered. */
  readonly rendered: RenderedWorkloads;
  /** The release of the objects. */
  readonly release: ManifestsRelease;

  constructor(scope: Construct, id: string, props: ScoreWorkloadProps) {
    super(scope, id);
    this.rendered = renderWorkloads(props.files, props.platform, props.options);
    const objects = [...this.rendered.workloads.flatMap((workload) => workload.objects), ...this.rendered.shared].filter((object) => !props.exclude?.(object));
    this.release = new ManifestsRelease(this, 'release', {
      releaseName: props.releaseName ?? `workloads-${props.options.namespace}`,
      namespace: props.options.namespace,
      manifests: objects,
      dependsOn: props.dependsOn ?? [],
    });
  }
}
