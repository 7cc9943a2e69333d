import { types } from 'node:util';
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
  | 'IDPKIT_INVALID_CATALOG'
  /** A file or directory could not be read or written (permission, space, a file in the way): {@link fileSystemError}. */
  | 'IDPKIT_FILESYSTEM'
  /** Another synth holds the output directory's lock (stacks/publish.ts) and did not finish in time; the message names it. */
  | 'IDPKIT_OUTPUT_LOCKED';

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

/**
 * What each errno code of a failed filesystem call means, in words a user can act on. A code not
 * listed is shown as the system's own message.
 */
export const FILE_SYSTEM_ERROR_WORDS: Readonly<Record<string, string>> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  ENOTDIR: 'a part of the path is a file, not a directory',
  EISDIR: 'it is a directory, not a file',
  EEXIST: 'something is already there',
  ENOTEMPTY: 'the directory is not empty',
  EXDEV: 'it is on another file system, and a rename cannot cross file systems',
  EROFS: 'the file system is read-only',
  ENOENT: 'it does not exist (or a directory on its path does not exist)',
  ENAMETOOLONG: 'the name is too long for the file system',
  ELOOP: 'too many symbolic links on the path',
  EBUSY: 'it is in use (a mount point, or held by another process)',
  EMFILE: 'too many open files',
};

/** Which verb a failed system call is reported with. */
const SYSCALL_VERBS: Readonly<Record<string, string>> = {
  open: 'open',
  read: 'read',
  scandir: 'read',
  readlink: 'read',
  stat: 'read',
  lstat: 'read',
  access: 'read',
  realpath: 'read',
  write: 'write',
  mkdir: 'write',
  mkdtemp: 'write',
  copyfile: 'write',
  link: 'write',
  symlink: 'write',
  rename: 'move',
  unlink: 'remove',
  rmdir: 'remove',
  rm: 'remove',
};

/** Whether a thrown value is a Node.js system error from a filesystem call (it has an errno `code` and a `syscall`). */
export function isFileSystemError(error: unknown): error is NodeJS.ErrnoException {
  // isNativeError, not instanceof: an error thrown by Node's fs in another realm (a VM context, a test runner) is one too.
  return types.isNativeError(error) && typeof (error as NodeJS.ErrnoException).code === 'string' && typeof (error as NodeJS.ErrnoException).syscall === 'string';
}

/**
 * The {@link IdpkitError} (`IDPKIT_FILESYSTEM`) for a failed filesystem call:
 * `cannot write /path: permission denied (EACCES)`. `action` and `path` default to the call's own
 * (`rename` names both paths); `hint`, what to do, is appended (default: none).
 */
export function fileSystemError(error: NodeJS.ErrnoException, action?: string, path?: string, hint?: string): IdpkitError {
  const words = FILE_SYSTEM_ERROR_WORDS[error.code ?? ''] ?? error.message;
  const verb = action ?? SYSCALL_VERBS[error.syscall ?? ''] ?? 'access';
  const dest = (error as NodeJS.ErrnoException & { dest?: string }).dest;
  const where = path ?? (error.path && dest ? `${error.path} to ${dest}` : (error.path ?? '(unknown path)'));
  return new IdpkitError('IDPKIT_FILESYSTEM', [`cannot ${verb} ${where}: ${words} (${error.code})${hint ? `; ${hint}` : ''}`]);
}

/**
 * Runs `write`, turning a failed filesystem call into {@link fileSystemError} (`cannot <action> <path>: ...`).
 *
 * @param hint what to do, appended to the message (`write one with ...`) @default - none
 */
export function withFileSystemErrors<T>(action: string, path: string, write: () => T, hint?: string): T {
  try {
    return write();
  } catch (error) {
    if (isFileSystemError(error)) throw fileSystemError(error, action, path, hint);
    throw error;
  }
}

/**
 * What a command prints for a thrown value: the IdpkitError itself, a filesystem error as
 * {@link fileSystemError}; undefined for anything else (a bug, shown with its stack).
 */
export function userErrorOf(error: unknown): IdpkitError | undefined {
  if (error instanceof IdpkitError) return error;
  if (isFileSystemError(error)) return fileSystemError(error);
  return undefined;
}
