import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { IdpkitError } from '../../../../constructs/core/errors';
import { formatPath, parseScoreFile, readScoreFile, validateScoreWorkload } from '../../../../constructs/orchestration/workloads/score';

const FULL_SAMPLE = readFileSync(join(__dirname, '../../../fixtures/score/score-full.yaml'), 'utf8');

/** The problems of a Score file given as YAML text. */
const problemsOf = (text: string, path = 'app/score.yaml'): readonly string[] => readScoreFile({ path, text }).problems;

const MINIMAL = `apiVersion: score.dev/v1b1
metadata:
  name: web
containers:
  main:
    image: nginx:1.27
`;

describe('readScoreFile', () => {
  it('validates the Score specification sample that uses every field', () => {
    const result = readScoreFile({ path: 'score-full.yaml', text: FULL_SAMPLE });
    expect(result.problems).toEqual([]);
    expect(result.workload?.metadata.name).toBe('example-workload-name123');
    expect(result.workload?.containers['container-one1'].files?.['/my/file']).toEqual({ mode: '0600', source: 'file.txt' });
    expect(result.workload?.resources?.['resource-three']).toEqual({ type: 'Type-Three', id: 'shared-type-three' });
  });

  it('reads JSON files as JSON', () => {
    const result = readScoreFile({ path: 'score.json', text: JSON.stringify({ apiVersion: 'score.dev/v1b1', metadata: { name: 'web' }, containers: { main: { image: 'nginx' } } }) });
    expect(result.workload?.containers.main.image).toBe('nginx');
    expect(problemsOf('{"apiVersion": ', 'score.json')[0]).toMatch(/^score\.json: is not valid JSON: /);
  });

  it('turns the deprecated list forms of files and volumes into maps keyed by target', () => {
    const text = `${MINIMAL}    files:
      - target: /etc/app.conf
        content: hello
        mode: "0644"
    volumes:
      - target: /data
        source: \${resources.data}
        readOnly: true
resources:
  data:
    type: volume
`;
    const container = readScoreFile({ path: 'score.yaml', text }).workload!.containers.main;
    expect(container.files).toEqual({ '/etc/app.conf': { content: 'hello', mode: '0644' } });
    expect(container.volumes).toEqual({ '/data': { source: '${resources.data}', readOnly: true } });
  });

  it('keeps the map forms as they are', () => {
    const text = `${MINIMAL}    files:
      /etc/app.conf:
        content: hello
`;
    expect(readScoreFile({ path: 'score.yaml', text }).workload!.containers.main.files).toEqual({ '/etc/app.conf': { content: 'hello' } });
  });

  it('reports a list entry without target, and two entries of one target', () => {
    const text = `${MINIMAL}    files:
      - content: a
      - target: /a
        content: a
      - target: /a
        content: b
`;
    expect(problemsOf(text)).toEqual([
      'app/score.yaml: containers.main.files[0].target is missing (the list form needs the target path of each entry; or write containers.main.files as a map of target path to entry)',
      'app/score.yaml: containers.main.files[2].target "/a" is also the target of containers.main.files[1] (mount each path once)',
    ]);
  });

  it('names file, path, value and what is allowed for each schema violation, one message each', () => {
    const text = `apiVersion: score.dev/v1b2
metadata:
  name: Web_App
service:
  ports:
    http:
      port: "80"
    admin:
      port: 70000
      protocol: SCTP
containers:
  main:
    imag: nginx
    files:
      /etc/a:
        content: a
        source: a.txt
        mode: 0600
      /etc/b: {}
      /etc/c:
        target: /etc/c
        content: c
    livenessProbe: {}
    resources:
      limits:
        memory: 1mb
resources:
  DB:
    type: postgres
`;
    expect(problemsOf(text)).toEqual([
      'app/score.yaml: apiVersion "score.dev/v1b2" is not allowed: must be "score.dev/v1b1", the Score version idpkit reads',
      'app/score.yaml: metadata.name "Web_App" is not allowed: must be a DNS label: 2 to 63 lowercase letters, digits and "-", starting and ending with a letter or digit (e.g. "web-api")',
      'app/score.yaml: service.ports.http.port "80" is a string, expected a whole number',
      'app/score.yaml: service.ports.admin.port 70000 is out of range: must be 1 to 65535',
      'app/score.yaml: service.ports.admin.protocol "SCTP" is not allowed: must be one of "TCP", "UDP"',
      'app/score.yaml: containers.main.image is missing (required)',
      'app/score.yaml: containers.main.imag is not a field of Score score.dev/v1b1 here (allowed: image, command, args, variables, files, volumes, before, resources, livenessProbe, readinessProbe)',
      'app/score.yaml: containers.main.files["/etc/a"] has both "content" and "source" (give exactly one of "content", "binaryContent", "source")',
      'app/score.yaml: containers.main.files["/etc/a"].mode 600 is a whole number, expected a string (write it in quotes)',
      'app/score.yaml: containers.main.files["/etc/b"] has none of "content", "binaryContent", "source" (give exactly one)',
      'app/score.yaml: containers.main.files["/etc/c"].target: "target" belongs to the deprecated list form; in the map form the key is the target path (remove "target")',
      'app/score.yaml: containers.main.resources.limits.memory "1mb" is not allowed: must be bytes with an optional unit of K, M, G, T, P, E, Ki, Mi, Gi, Ti, Pi, Ei (e.g. "512Mi" or "1.5Gi")',
      'app/score.yaml: containers.main.livenessProbe has none of "httpGet", "exec" (give at least one)',
      'app/score.yaml: resources: the name "DB" is not allowed: must be a DNS label: 2 to 63 lowercase letters, digits and "-", starting and ending with a letter or digit (e.g. "web-api")',
    ]);
  });

  it('reports files and volumes that are neither a list nor a map', () => {
    expect(problemsOf(`${MINIMAL}    files: /etc/app.conf\n`)).toEqual(['app/score.yaml: containers.main.files "/etc/app.conf" is a string, expected a list or a map']);
  });

  it('reports an empty containers map', () => {
    expect(problemsOf('apiVersion: score.dev/v1b1\nmetadata: { name: web }\ncontainers: {}\n')).toEqual(['app/score.yaml: containers is empty (give at least 1)']);
  });

  it('refuses before (container start order), which idpkit does not implement', () => {
    expect(problemsOf(`${MINIMAL}  init:\n    image: busybox\n    before: { main: { ready: complete } }\n`)).toEqual([
      'app/score.yaml: containers.init.before is not supported by idpkit (start order between containers): run a one-off step as its own workload, or make the container wait for what it needs',
    ]);
  });

  it('reports the first YAML syntax error with its line, an empty file, and a document that is not a map', () => {
    expect(problemsOf('metadata: {name: [web\n')).toEqual([expect.stringMatching(/^app\/score\.yaml: is not valid YAML: .* at line 2, column 1$/)]);
    expect(problemsOf('')).toEqual(['app/score.yaml: is empty (a Score workload has apiVersion: score.dev/v1b1, metadata and containers)']);
    expect(problemsOf('- web\n')).toEqual(['app/score.yaml: ["web"] is not a Score workload (expected a map with apiVersion: score.dev/v1b1, metadata and containers)']);
  });
});

describe('parseScoreFile and validateScoreWorkload', () => {
  it('return the workload of a valid file', () => {
    expect(parseScoreFile({ path: 'score.yaml', text: MINIMAL }).metadata.name).toBe('web');
    expect(validateScoreWorkload({ apiVersion: 'score.dev/v1b1', metadata: { name: 'web' }, containers: { main: { image: 'nginx' } } }, 'teams/shop.ts: workloads[0]').containers.main.image).toBe('nginx');
  });

  it('throws IDPKIT_INVALID_WORKLOAD with every problem', () => {
    const thrown = (() => {
      try {
        validateScoreWorkload({ apiVersion: 'score.dev/v1b1', metadata: {}, containers: { main: {} } }, 'teams/shop.ts: workloads[0]');
      } catch (error) {
        return error;
      }
      return undefined;
    })();
    expect(thrown).toBeInstanceOf(IdpkitError);
    expect((thrown as IdpkitError).code).toBe('IDPKIT_INVALID_WORKLOAD');
    expect((thrown as IdpkitError).problems).toEqual(['teams/shop.ts: workloads[0]: metadata.name is missing (required)', 'teams/shop.ts: workloads[0]: containers.main.image is missing (required)']);
    expect(() => parseScoreFile({ path: 'score.yaml', text: '' })).toThrow(/score\.yaml: is empty/);
  });
});

describe('formatPath', () => {
  it('writes plain keys with dots, indexes in brackets and other keys quoted', () => {
    expect(formatPath(['containers', 'web', 'args', 0])).toBe('containers.web.args[0]');
    expect(formatPath(['containers', 'web', 'files', '/etc/app.conf', 'mode'])).toBe('containers.web.files["/etc/app.conf"].mode');
  });
});
