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
  Manifest,
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

// cdktf's own module that records where each token was made (not part of its public API; cdktf is
// pinned exactly, so the path is the one of that version). Required, not imported: cdktf's modules
// read `captureStackTrace` from this very exports object at each call, and an ES import (as a
// bundler compiles it) would be a read-only copy.
// eslint-disable-next-line @typescript-eslint/no-require-imports
import creationStackModule = require('cdktf/lib/tokens/private/stack-trace');

/**
 * Runs `build` with cdktf's token creation stacks off. cdktf records the whole call stack of every
 * token it makes (each nested block of every resource, each reference), formatted line by line,
 * only to say where a token was made when it later fails to resolve: about a tenth of a synthesis's
 * CPU time and 20 MiB. Tokens made inside `build` have an empty creation stack, so such an error
 * names the token and what failed but not the line that made it (run the failing construct in a
 * test, outside `build`, to see it). Returns what `build` returns.
 */
export function withoutCreationStacks<T>(build: () => T): T {
  const creationStacks = creationStackModule as { captureStackTrace: (below?: unknown) => string[] };
  const capture = creationStacks.captureStackTrace;
  creationStacks.captureStackTrace = () => [];
  try {
    return build();
  } finally {
    creationStacks.captureStackTrace = capture;
  }
}
