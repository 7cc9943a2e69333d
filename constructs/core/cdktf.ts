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
  DataTerraformRemoteStateAzurerm,
  DataTerraformRemoteStateGcs,
  DataTerraformRemoteStateS3,
  DefaultTokenResolver,
  Fn,
  GcsBackend,
  Lazy,
  LocalBackend,
  S3Backend,
  StringConcat,
  TerraformAsset,
  TerraformOutput,
  TerraformProvider,
  TerraformRemoteState,
  TerraformResource,
  TerraformStack,
  Testing,
  Token,
  Tokenization,
} from 'cdktf';
export type { AppConfig, IAspect, ITerraformDependable, TerraformBackend } from 'cdktf';
