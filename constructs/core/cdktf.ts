/**
 * The one place idpkit imports the cdktf runtime from. Everything else imports these names from
 * here, so that moving to a cdktf successor (e.g. CDK Terrain) is a change to this file only.
 * A lint rule (eslint.config.mjs) rejects `from 'cdktf'` anywhere else.
 */
export {
  App,
  AssetType,
  Aspects,
  AzurermBackend,
  Fn,
  GcsBackend,
  Lazy,
  LocalBackend,
  S3Backend,
  TerraformAsset,
  TerraformOutput,
  TerraformProvider,
  TerraformResource,
  TerraformStack,
  Testing,
  Token,
} from 'cdktf';
export type { AppConfig, IAspect, ITerraformDependable, TerraformBackend } from 'cdktf';
