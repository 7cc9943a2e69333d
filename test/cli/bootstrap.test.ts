import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bootstrapStatus } from '../../cli/bootstrap';
import { EXIT_FAILURE, EXIT_OK } from '../../cli/io';
import { defaultEnvironments } from '../../environments';
import { clone } from '../helpers';
import { synthesizedPlatform, synthesizedSet } from '../support/synthesized-sets';
import { idpkit, tempDir } from './cli-helpers';

const AWS_BOOTSTRAP = ['bootstrap-idpkit-state-111111111111-eu-west-1', 'bootstrap-idpkit-state-222222222222-eu-west-1'];

/** The default environments with `state.bootstrap: 'remote'` on all of them. */
const REMOTE = defaultEnvironments.map((env) => {
  const copy = clone(env) as any;
  copy.state.bootstrap = 'remote';
  return copy;
});

/** A copy of a synthesized directory, for a test to write into (its links stay relative, into the copy). */
function copyOf(outdir: string): string {
  const copy = tempDir('idpkit-bootstrap-');
  cpSync(outdir, copy, { recursive: true, verbatimSymlinks: true });
  return copy;
}

/** A local state file next to a stack, as the first apply leaves it. */
const leaveLocalState = (outdir: string, stack: string) => writeFileSync(join(outdir, 'stacks', stack, `${stack}.tfstate`), '{"version":4,"serial":1}');

describe('idpkit bootstrap', () => {
  // The default environments as shipped (state.bootstrap left out): main.ts's synthesis of the default set. Read only.
  const local = synthesizedSet('default');
  // What synthesizePlatform writes for them. Read only: a test that leaves state files works on a copy.
  const remote = synthesizedPlatform(REMOTE);

  test('step 1: a fresh synthesis keeps local state, and says to deploy', async () => {
    expect(bootstrapStatus(local).map(({ stack, backend, next }) => ({ stack, backend, next }))).toEqual(AWS_BOOTSTRAP.map((stack) => ({ stack, backend: 'local', next: 'deploy' })));
    const { code, stdout } = await idpkit(['bootstrap', local]);
    expect(code).toBe(EXIT_OK);
    expect(stdout).toContain(`step 1: npx cdktf deploy ${AWS_BOOTSTRAP[0]}`);
  });

  test("step 2: once applied (a local state file), it says to set state.bootstrap: 'remote' and migrate", async () => {
    const applied = copyOf(local);
    leaveLocalState(applied, AWS_BOOTSTRAP[0]);
    const [status] = bootstrapStatus(applied);
    expect(status).toMatchObject({ backend: 'local', next: 'migrate', localStateFile: join(applied, 'stacks', AWS_BOOTSTRAP[0], `${AWS_BOOTSTRAP[0]}.tfstate`) });
    const { stdout } = await idpkit(['bootstrap', applied]);
    expect(stdout).toContain("step 2: set state.bootstrap: 'remote'");
    expect(stdout).toContain('terraform init -migrate-state');
  });

  test('after the switch: the S3 backend of the bucket the stack created; a leftover local copy is to be removed', async () => {
    const statuses = bootstrapStatus(remote);
    expect(statuses[0]).toEqual({
      stack: AWS_BOOTSTRAP[0],
      backend: 's3',
      location: `s3://idpkit-state-111111111111-eu-west-1/idpkit/${AWS_BOOTSTRAP[0]}/terraform.tfstate`,
      localStateFile: undefined,
      next: 'done',
    });
    const leftover = copyOf(remote);
    leaveLocalState(leftover, AWS_BOOTSTRAP[1]);
    expect(bootstrapStatus(leftover)[1].next).toBe('clean-up');
  });

  test('--check exits 1 while a bootstrap stack keeps local state, 0 once all are done', async () => {
    const pending = await idpkit(['bootstrap', local, '--check']);
    expect(pending.code).toBe(EXIT_FAILURE);
    expect(pending.stderr).toContain(`2 bootstrap stack(s) still keep local state: ${AWS_BOOTSTRAP.join(', ')}`);
    expect((await idpkit(['bootstrap', remote, '--check'])).code).toBe(EXIT_OK);
  });

  test('exits 1 naming the directory when there are no bootstrap stacks to read', async () => {
    const empty = tempDir('idpkit-bootstrap-empty-');
    mkdirSync(join(empty, 'stacks', 'dev-infra'), { recursive: true });
    const { code, stderr } = await idpkit(['bootstrap', empty]);
    expect(code).toBe(EXIT_FAILURE);
    expect(stderr).toContain('IDPKIT_INVALID_INPUT');
    expect(stderr).toContain('no bootstrap-* stacks to read (run cdktf synth first, or give the synthesized directory)');
  });
});
