import type { KubernetesObject } from '../../../../constructs/core/manifests';
import { renderWorkloads } from '../../../../constructs/orchestration/workloads/render';
import { ScoreWorkload } from '../../../../constructs/orchestration/workloads/score-workload';
import type { ScoreFile } from '../../../../constructs/orchestration/workloads/types';
import { helmTestStack, release } from '../../../helm-helpers';
import { testPlatform } from './platforms';

const web: ScoreFile = {
  path: 'web/score.yaml',
  text: 'apiVersion: score.dev/v1b1\nmetadata:\n  name: web\nservice:\n  ports:\n    http:\n      port: 80\n      targetPort: 8080\ncontainers:\n  main:\n    image: ghcr.io/acme/web:1.0.0\n',
};
const platform = testPlatform('aws', 'prod');
const options = { namespace: 'shop' };

const releaseOf = (name: string, build: Parameters<typeof helmTestStack>[0]) => {
  const { body, values } = release(helmTestStack(build), name);
  return { release: body, objects: values.manifests as KubernetesObject[] };
};

describe('ScoreWorkload', () => {
  it("applies what idpkit workload render gives, as one release in the workload's namespace", () => {
    let rendered: ScoreWorkload | undefined;
    const { release, objects } = releaseOf('workloads-shop', (stack) => (rendered = new ScoreWorkload(stack, 'web', { files: [web], platform, options })));
    expect(release).toMatchObject({ name: 'workloads-shop', namespace: 'shop' });
    expect(objects).toEqual(renderWorkloads([web], platform, options).workloads[0].objects);
    expect(objects.map((o) => o.kind)).toEqual(expect.arrayContaining(['Deployment', 'Service', 'ServiceAccount', 'NetworkPolicy', 'PodDisruptionBudget']));
    expect(rendered!.rendered.files).toEqual(renderWorkloads([web], platform, options).files);
  });

  it('leaves out the objects the stack creates itself', () => {
    const { objects } = releaseOf('web', (stack) => new ScoreWorkload(stack, 'web', { files: [web], platform, options, exclude: (o) => o.kind === 'ServiceAccount', releaseName: 'web' }));
    expect(objects.map((o) => o.kind)).not.toContain('ServiceAccount');
  });

  it('throws the engine\'s error for a bad Score file, before anything is synthesized', () => {
    const bad: ScoreFile = { path: 'bad.yaml', text: 'apiVersion: score.dev/v1b1\nmetadata:\n  name: Bad_Name\ncontainers: {}\n' };
    expect(() => helmTestStack((stack) => new ScoreWorkload(stack, 'bad', { files: [bad], platform, options }))).toThrow(/bad\.yaml: metadata\.name "Bad_Name"/);
  });
});
