/** Tags every resource of an environment carries, whatever the cloud. */
export interface PlatformTagsProps {
  /** Environment name. */
  readonly environment: string;
  /** Owning team. */
  readonly owner: string;
  /** Cost center. */
  readonly costCenter: string;
  /** Extra tags; they cannot override the four standard tags. @default {} */
  readonly extra?: Readonly<Record<string, string>>;
}

/** The standard tags: environment, owner, cost-center and managed-by=idpkit, plus any extras. */
export function platformTags(props: PlatformTagsProps): Record<string, string> {
  return {
    ...props.extra,
    environment: props.environment,
    owner: props.owner,
    'cost-center': props.costCenter,
    'managed-by': 'idpkit',
  };
}
