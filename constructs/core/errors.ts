/** Stable codes of the errors idpkit raises for bad input. */
export type IdpkitErrorCode =
  | 'IDPKIT_INVALID_ENVIRONMENT'
  | 'IDPKIT_ENVIRONMENT_CONFLICT'
  | 'IDPKIT_UNKNOWN_ENVIRONMENT'
  | 'IDPKIT_INVALID_PROPS'
  /** A policy file (`idpkit check --suppressions`) does not match the environment `policy` field's format. */
  | 'IDPKIT_INVALID_POLICY'
  /** A file or directory given to a command is missing or not what it should be (e.g. not a cdktf.out). */
  | 'IDPKIT_INVALID_INPUT'
  /** Synthesized Terraform breaks a policy rule with severity error (docs/policy-rules.md). */
  | 'IDPKIT_POLICY'
  /** A synthesized file holds a literal secret (constructs/policy/secrets.ts); nothing was written. */
  | 'IDPKIT_SECRET_IN_OUTPUT'
  /** A Score workload file is invalid, or asks for what the environment cannot give (constructs/orchestration/workloads); nothing was written. */
  | 'IDPKIT_INVALID_WORKLOAD'
  /** A team config (stacks/team) does not match its schema, or asks for what its environment cannot give. */
  | 'IDPKIT_INVALID_TEAM'
  /** Backstage catalog entities would not load: a relation names an entity that is not in the catalog, or two entities share a name (constructs/interface/catalog). */
  | 'IDPKIT_INVALID_CATALOG';

/**
 * The one error type idpkit raises for input a user can fix. `problems` lists every finding, each
 * naming the field, the bad value and what is allowed; `message` joins them.
 */
export class IdpkitError extends Error {
  constructor(
    readonly code: IdpkitErrorCode,
    readonly problems: readonly string[],
  ) {
    super(problems.length === 1 ? problems[0] : `${problems.length} problems:\n- ${problems.join('\n- ')}`);
    this.name = 'IdpkitError';
  }
}

/** Renders a user-supplied value for an error message: JSON, shortened, or "(missing)". */
export function describeValue(value: unknown): string {
  if (value === undefined) return '(missing)';
  let json: string;
  try {
    json = JSON.stringify(value) ?? String(value);
  } catch {
    // A cycle, a BigInt, or nesting deeper than the stack: the message names the field without it.
    json = '(a value that cannot be shown)';
  }
  return json.length > 80 ? `${json.slice(0, 77)}...` : json;
}
