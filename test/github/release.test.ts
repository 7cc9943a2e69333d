/**
 * The release workflow (.github/workflows/release.yml) and release-please's files read as a
 * specification: release-please keeps the release pull request, the publish job builds the tag,
 * runs the README's install commands from it and publishes that tarball to npm with provenance,
 * with the least privilege each job needs and every action pinned to a commit.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

const root = join(__dirname, '..', '..');
const read = (path: string): string => readFileSync(join(root, path), 'utf8');
const source = read('.github/workflows/release.yml');
const workflow = parse(source);
const pkg = JSON.parse(read('package.json'));
const config = JSON.parse(read('release-please-config.json'));
const manifest = JSON.parse(read('.release-please-manifest.json'));
const runs = (job: any): string[] => job.steps.map((step: any) => step.run).filter((run: unknown): run is string => typeof run === 'string');
const stepIndex = (job: any, pattern: RegExp): number => job.steps.findIndex((step: any) => typeof step.run === 'string' && pattern.test(step.run));

describe('release.yml', () => {
  const { 'release-please': releasePlease, publish } = workflow.jobs;

  it('runs on pushes to main, and by hand with a tag to publish again', () => {
    expect(Object.keys(workflow.on).sort()).toEqual(['push', 'workflow_dispatch']);
    expect(workflow.on.push).toEqual({ branches: ['main'] });
    expect(workflow.on.workflow_dispatch.inputs.tag.required).toBe(true);
    expect(workflow.permissions).toEqual({ contents: 'read' });
    expect(workflow.concurrency).toEqual({ group: 'release', 'cancel-in-progress': false });
  });

  it('pins every action to a commit, with the version it is as a comment', () => {
    const uses = [...source.matchAll(/uses: (\S+)(.*)$/gm)];
    expect(uses.map(([, ref]) => ref.split('@')[0])).toEqual(['googleapis/release-please-action', 'actions/checkout', 'actions/setup-node']);
    for (const [, ref, comment] of uses) {
      expect(ref).toMatch(/@[0-9a-f]{40}$/);
      expect(comment).toMatch(/^ # v\d+\.\d+\.\d+$/);
    }
  });

  it('release-please: keeps the release pull request from the config and manifest, with write access to contents and pull requests only', () => {
    expect(releasePlease.permissions).toEqual({ contents: 'write', 'pull-requests': 'write' });
    expect(releasePlease.steps).toHaveLength(1);
    expect(releasePlease.steps[0].with).toEqual({ 'config-file': 'release-please-config.json', 'manifest-file': '.release-please-manifest.json' });
    expect(releasePlease.outputs).toEqual({
      release_created: '${{ steps.release.outputs.release_created }}',
      tag_name: '${{ steps.release.outputs.tag_name }}',
    });
  });

  it('publish: runs when release-please made a release, or by hand; signs provenance with the job token', () => {
    expect(publish.needs).toBe('release-please');
    expect(publish.if).toContain("needs.release-please.outputs.release_created == 'true'");
    expect(publish.if).toContain("github.event_name == 'workflow_dispatch'");
    expect(publish.permissions).toEqual({ contents: 'write', 'id-token': 'write' });
    expect(publish.environment).toBe('npm');
    expect(publish.env.TAG).toBe('${{ needs.release-please.outputs.tag_name || inputs.tag }}');
  });

  it('publish: builds the tag, checks it is the version, runs the README install commands, then publishes the tarball it attached to the release', () => {
    const checkout = publish.steps.find((step: any) => String(step.uses).startsWith('actions/checkout@'));
    expect(checkout.with).toEqual({ ref: 'refs/tags/${{ env.TAG }}', 'persist-credentials': false });
    const node = publish.steps.find((step: any) => String(step.uses).startsWith('actions/setup-node@'));
    expect(node.with).toEqual({ 'node-version': 20, 'registry-url': 'https://registry.npmjs.org', cache: 'npm' });
    const order = [/\[ "\$TAG" = "v\$version" \]/, /npm pkg set repository/, /^npm ci\b/, /npm run -s test:pack/, /npm pack --pack-destination/, /gh release upload "\$TAG" "\$TARBALL"/, /npm publish/].map(
      (pattern) => stepIndex(publish, pattern),
    );
    expect(order.every((index) => index >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(runs(publish).filter((run) => /npm publish/.test(run))).toEqual(['npm publish "$TARBALL" --provenance --access public']);
  });

  it('reads one secret, the npm token, only in the publish step (none with npm trusted publishing)', () => {
    expect([...source.matchAll(/\$\{\{[^}]*\bsecrets\b[^}]*\}\}/g)].map((match) => match[0])).toEqual(['${{ secrets.NPM_TOKEN }}']);
    const publishStep = publish.steps.find((step: any) => /npm publish/.test(step.run ?? ''));
    expect(publishStep.env).toEqual({ NODE_AUTH_TOKEN: '${{ secrets.NPM_TOKEN }}' });
  });
});

describe("release-please's files", () => {
  const settings = config.packages['.'];

  it('release the package at the repository root as a node package, tagged vX.Y.Z, into CHANGELOG.md', () => {
    expect(Object.keys(config.packages)).toEqual(['.']);
    expect(settings).toMatchObject({ 'release-type': 'node', 'package-name': pkg.name, 'changelog-path': 'CHANGELOG.md', 'include-component-in-tag': false });
    expect(existsSync(join(root, 'CHANGELOG.md'))).toBe(true);
    expect(pkg.files).toEqual(expect.arrayContaining(['CHANGELOG.md', 'LICENSE']));
    expect(config['bootstrap-sha']).toMatch(/^[0-9a-f]{40}$/);
  });

  it('the manifest says nothing is released yet, and package.json holds the first version', () => {
    expect(manifest).toEqual({ '.': '0.0.0' });
    expect(pkg.version).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it("update the version in the README's install section and in the example team app", () => {
    expect(settings['extra-files']).toEqual([
      { type: 'generic', path: 'README.md' },
      { type: 'json', path: 'examples/team-app/package.json', jsonpath: '$.dependencies.idpkit' },
    ]);
    const readme = read('README.md');
    const marked = readme.slice(readme.indexOf('<!-- x-release-please-start-version -->'), readme.indexOf('<!-- x-release-please-end -->'));
    expect(marked).toContain(`idpkit-${pkg.version}.tgz`);
    // release-please replaces every x.y.z between the markers: only idpkit's own versions may be there
    expect([...new Set(marked.match(/\d+\.\d+\.\d+/g))]).toEqual([pkg.version]);
    expect(JSON.parse(read('examples/team-app/package.json')).dependencies.idpkit).toBe(pkg.version);
  });
});
