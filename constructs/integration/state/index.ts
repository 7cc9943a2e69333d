import { LocalBackend, TerraformStack } from '../../core/cdktf';

/** Remote state in an S3 bucket made by the bootstrap stack ({@link AwsStateBucket}). */
export interface S3StateProps {
  readonly backend: 's3';
  /** State bucket name. */
  readonly bucket: string;
  /** Region of the bucket. */
  readonly region: string;
  /** Account that owns the bucket and its KMS key. */
  readonly accountId: string;
}

/** State in a local file: for experiments only, and only when asked for by name. */
export interface LocalStateProps {
  readonly backend: 'local';
  /** Directory of the state file, relative to the stack's directory. @default Terraform's default */
  readonly path?: string;
}

/** Where a stack keeps its Terraform state. */
export type StateBackendProps = S3StateProps | LocalStateProps;

/** The state object key of a stack: unique per stack, so no two stacks share state or a lock. */
export const stateKey = (stackName: string): string => `idpkit/${stackName}/terraform.tfstate`;

/** Configures a stack's local backend, with the state file named after the stack. */
export function configureLocalState(stack: TerraformStack, props: LocalStateProps): void {
  const file = `${stack.node.id}.tfstate`;
  new LocalBackend(stack, { path: props.path ? `${props.path.replace(/\/$/, '')}/${file}` : file });
}
