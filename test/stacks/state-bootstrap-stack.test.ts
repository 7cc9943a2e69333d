/**
 * The bootstrap flow (docs/stacks.md, "Bootstrap, once per state bucket"): a bootstrap stack keeps
 * local state for its first apply, moves it into the bucket or container it created once the
 * environments say `state.bootstrap: 'remote'`, and back to local for teardown.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from '../../constructs/core/cdktf';
import { stateBackendRule } from '../../constructs/policy/rules/terraform/state-backend';
import { dev, staging } from '../../environments';
import { azureDev } from '../../environments/examples/azure';
import { gcpProd } from '../../environments/examples/gcp';
import { Environment, validateEnvironments } from '../../environments/types';
import { StateBootstrapStack } from '../../stacks/state-bootstrap-stack';
import { TerraformJson, clone, synthJson } from '../helpers';
import { stackVerdict } from '../constructs/policy/rule-helpers';

/** The environments with `state.bootstrap` set (or left out), validated together as synthesis does. */
const withBootstrap = (configs: readonly object[], mode: 'local' | 'remote' | undefined): Environment[] =>
  validateEnvironments(
    configs.map((config) => {
      const copy = clone(config) as { state: Record<string, unknown> };
      if (mode !== undefined) copy.state.bootstrap = mode;
      return copy;
    }),
  );

/** The bootstrap stack of these environments, synthesized. */
const bootstrapOf = (environments: readonly Environment[]): TerraformJson =>
  synthJson(new StateBootstrapStack(new App({ outdir: mkdtempSync(join(tmpdir(), 'idpkit-bootstrap-')) }), { environments }));

describe.each([
  ['unset', undefined],
  ['local', 'local' as const],
])('step 1 (state.bootstrap %s): the first apply keeps state in a local file', (_name, mode) => {
  test.each([
    ['AWS', [dev, staging], 'bootstrap-idpkit-state-111111111111-eu-west-1'],
    ['Azure', [azureDev], 'bootstrap-idpkitstate000001'],
    ['GCP', [gcpProd], 'bootstrap-acme-idp-prod-tfstate'],
  ])('%s', (_cloud, configs, stack) => {
    const json = bootstrapOf(withBootstrap(configs, mode));
    expect(json.terraform.backend).toEqual({ local: { path: `${stack}.tfstate` } });
  });
});

describe("step 2 (state.bootstrap 'remote'): the stack's own state moves into the storage it created", () => {
  test('AWS: the S3 bucket it created, its own key, encrypted with the bucket key alias, locked with a lock file', () => {
    const json = bootstrapOf(withBootstrap([dev, staging], 'remote'));
    expect(json.terraform.backend).toEqual({
      s3: {
        bucket: 'idpkit-state-111111111111-eu-west-1',
        key: 'idpkit/bootstrap-idpkit-state-111111111111-eu-west-1/terraform.tfstate',
        region: 'eu-west-1',
        encrypt: true,
        kms_key_id: 'arn:aws:kms:eu-west-1:111111111111:alias/idpkit/state/idpkit-state-111111111111-eu-west-1',
        use_lockfile: true,
      },
    });
    expect(json.terraform.required_version).toBe('>= 1.10.0');
    // the bucket and the alias the backend names are the ones this stack creates
    expect(Object.values(json.resource.aws_s3_bucket).map((bucket: any) => bucket.bucket)).toContain('idpkit-state-111111111111-eu-west-1');
    expect(Object.values(json.resource.aws_kms_alias).map((alias: any) => alias.name)).toContain('alias/idpkit/state/idpkit-state-111111111111-eu-west-1');
  });

  test('Azure: the container it created, read and written with Entra ID (blob lease locks)', () => {
    const json = bootstrapOf(withBootstrap([azureDev], 'remote'));
    expect(json.terraform.backend).toEqual({
      azurerm: {
        resource_group_name: 'rg-idpkit-state',
        storage_account_name: 'idpkitstate000001',
        container_name: 'tfstate',
        key: 'idpkit/bootstrap-idpkitstate000001/terraform.tfstate',
        use_azuread_auth: true,
        subscription_id: azureDev.azure.subscriptionId,
        tenant_id: azureDev.azure.tenantId,
      },
    });
    expect(Object.values(json.resource.azurerm_storage_container).map((container: any) => container.name)).toEqual(['tfstate']);
  });

  test('GCP: the bucket it created, encrypted with its key (GCS locks natively)', () => {
    const json = bootstrapOf(withBootstrap([gcpProd], 'remote'));
    expect(json.terraform.backend).toEqual({
      gcs: {
        bucket: 'acme-idp-prod-tfstate',
        prefix: 'idpkit/bootstrap-acme-idp-prod-tfstate',
        kms_encryption_key: 'projects/acme-idp-prod/locations/europe-west1/keyRings/acme-idp-prod-tfstate/cryptoKeys/terraform-state',
      },
    });
    expect(Object.values(json.resource.google_kms_crypto_key).map((key: any) => key.name)).toContain('terraform-state');
  });

  test('meets IDP-TF-001 like every other stack (encrypted, locked remote state)', () => {
    for (const configs of [[dev, staging], [azureDev], [gcpProd]]) {
      const json = bootstrapOf(withBootstrap(configs, 'remote'));
      expect(stackVerdict(stateBackendRule, json as unknown as Record<string, unknown>, { stack: 'bootstrap-x' })).toBe('compliant');
    }
  });

  test('changes nothing but the backend: the same resources before and after the switch (nothing is replaced)', () => {
    const before = bootstrapOf(withBootstrap([dev, staging], 'local'));
    const after = bootstrapOf(withBootstrap([dev, staging], 'remote'));
    expect(after.resource).toEqual(before.resource);
  });
});

describe('teardown: back to local', () => {
  test("state.bootstrap 'local' again synthesizes the local backend, so -migrate-state copies the state out before the bucket goes", () => {
    expect(bootstrapOf(withBootstrap([dev, staging], 'local')).terraform.backend).toEqual({ local: { path: 'bootstrap-idpkit-state-111111111111-eu-west-1.tfstate' } });
  });
});

describe('validation', () => {
  const failure = (build: () => unknown): any => {
    try {
      build();
    } catch (error) {
      return error;
    }
    throw new Error('expected an error');
  };

  test('throws when environments sharing a state bucket disagree on state.bootstrap', () => {
    const remoteDev = clone(dev) as any;
    remoteDev.state.bootstrap = 'remote';
    const error = failure(() => validateEnvironments([remoteDev, staging]));
    expect(error.code).toBe('IDPKIT_ENVIRONMENT_CONFLICT');
    expect(error.message).toContain(
      'environment "staging": state.bootstrap "local" differs from "remote" of environment "dev", which shares state "idpkit-state-111111111111-eu-west-1" (one bootstrap stack, bootstrap-idpkit-state-111111111111-eu-west-1, keeps one state: set the same value in both)',
    );
  });

  test('throws when state.bootstrap is neither local nor remote', () => {
    const odd = clone(dev) as any;
    odd.state.bootstrap = 'bucket';
    const error = failure(() => validateEnvironments([odd]));
    expect(error.code).toBe('IDPKIT_INVALID_ENVIRONMENT');
    expect(error.message).toContain('state.bootstrap');
    expect(error.message).toContain('is not a bootstrap state mode (local or remote)');
  });
});
