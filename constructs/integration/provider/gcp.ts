import { DataGoogleProject } from '@cdktf/provider-google/lib/data-google-project';
import { GoogleProvider } from '@cdktf/provider-google/lib/provider';
import { Construct } from 'constructs';
import { PlatformTagsProps, platformTags } from '.';
import { TerraformProvider } from '../../core/cdktf';
import { stackSingleton } from '../../core/singleton';
import { gcpLabels } from './gcp-labels';

export { GCP_LABEL_KEY_PREFIX, GCP_LABEL_MAX_LENGTH, gcpLabelKey, gcpLabelValue, gcpLabels } from './gcp-labels';

/** Props of {@link createGoogleProvider}. */
export interface GoogleProviderProps {
  /** Project of the stack's resources. */
  readonly projectId: string;
  /** Default region of the stack's resources. */
  readonly region: string;
  /** Default labels for every labelable resource, sanitized with {@link gcpLabels}. */
  readonly tags: PlatformTagsProps;
}

/**
 * The Google provider of a stack: one project and region, with the platform's tags as
 * `default_labels`. Credentials come from the environment (Workload Identity Federation in CI,
 * `gcloud auth application-default login` locally), never from the config.
 *
 * @see https://registry.terraform.io/providers/hashicorp/google/latest/docs/guides/provider_reference
 * @example
 * createGoogleProvider(this, 'google', { projectId: 'acme-idp-dev', region: 'europe-west1', tags });
 */
export function createGoogleProvider(scope: Construct, id: string, props: GoogleProviderProps): GoogleProvider {
  const provider = new GoogleProvider(scope, id, { project: props.projectId, region: props.region });
  // Set by override: cdktf 0.21 snake-cases map keys in provider blocks (hashicorp/terraform-cdk#2681),
  // which would turn the label "cost-center" into "cost_center".
  provider.addOverride('default_labels', gcpLabels(platformTags(props.tags)));
  return provider;
}

/** The project a stack's Google provider acts on, as Terraform references. */
export interface GcpContext {
  /** Project id, from `data.google_project`. */
  readonly projectId: string;
  /** Project number, which names Google's service agents (`service-<number>@...`). */
  readonly projectNumber: string;
}

const CONTEXT_ID = 'gcp-context';

/**
 * The stack's project id and number, read once per stack by a `google_project` data source that
 * constructs share (so a library user's stack needs no extra props and the plan shows real values).
 */
export function gcpContext(scope: Construct): GcpContext {
  return stackSingleton(scope, CONTEXT_ID, (stack, id) => new GcpContextReader(stack, id));
}

class GcpContextReader extends Construct implements GcpContext {
  readonly projectId: string;
  readonly projectNumber: string;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const project = new DataGoogleProject(this, 'project');
    this.projectId = project.projectId;
    this.projectNumber = project.number;
  }
}

/**
 * The google-beta provider's version: the same release as the google provider that
 * `@cdktf/provider-google` binds (google and google-beta are released together).
 */
export const GOOGLE_BETA_PROVIDER_VERSION = '6.50.0';

/** Terraform's name of the google-beta provider (its block, and what beta resources name as `provider`). */
export const GOOGLE_BETA_PROVIDER = 'google-beta';

/**
 * The google-beta provider, bound by hand: idpkit needs one beta-only resource
 * (`google_project_service_identity`), which does not justify loading the whole
 * `@cdktf/provider-google-beta` package. It takes no settings: credentials are Application
 * Default Credentials, and each beta resource names its project.
 */
class GoogleBetaProvider extends TerraformProvider {
  constructor(scope: Construct, id: string) {
    super(scope, id, {
      terraformResourceType: GOOGLE_BETA_PROVIDER,
      terraformGeneratorMetadata: { providerName: GOOGLE_BETA_PROVIDER, providerVersion: GOOGLE_BETA_PROVIDER_VERSION },
      terraformProviderSource: `hashicorp/${GOOGLE_BETA_PROVIDER}`,
    });
  }

  protected synthesizeAttributes(): Record<string, unknown> {
    return {};
  }

  protected synthesizeHclAttributes(): Record<string, unknown> {
    return {};
  }
}

/**
 * The stack's google-beta provider, made on first use (only stacks with beta resources download
 * it). Beta resources set `project` themselves, from {@link gcpContext}.
 *
 * @see https://registry.terraform.io/providers/hashicorp/google-beta/latest/docs
 */
export function googleBetaProvider(scope: Construct): TerraformProvider {
  return stackSingleton(scope, GOOGLE_BETA_PROVIDER, (stack, id) => new GoogleBetaProvider(stack, id));
}
