import { mkdirSync, mkdtempSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { FILE_SYSTEM_ERROR_WORDS, IdpkitError, describeValue, fileSystemError, userErrorOf, withFileSystemErrors } from '../../../constructs/core/errors';

describe('describeValue', () => {
  test('renders values as short JSON, and missing ones as (missing)', () => {
    expect(describeValue('10.0.0.0/33')).toBe('"10.0.0.0/33"');
    expect(describeValue(undefined)).toBe('(missing)');
    expect(describeValue('x'.repeat(100))).toHaveLength(80);
  });

  test('never throws: cycles, BigInts and values nested past the stack are described, not crashed on', () => {
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    let deep: unknown = 1;
    for (let i = 0; i < 1_000_000; i++) deep = [deep];
    for (const value of [cycle, BigInt(1), deep]) expect(describeValue(value)).toBe('(a value that cannot be shown)');
  });
});

/** A Node.js system error as `fs` throws it: message, errno code, syscall, path (and dest for rename). */
const systemError = (code: string, syscall: string, path?: string, dest?: string): NodeJS.ErrnoException =>
  Object.assign(new Error(`${code}: something, ${syscall} '${path}'`), { code, syscall, ...(path ? { path } : {}), ...(dest ? { dest } : {}) });

describe('fileSystemError', () => {
  test.each([
    ['EACCES', 'permission denied'],
    ['EPERM', 'operation not permitted'],
    ['ENOSPC', 'no space left on the device'],
    ['EDQUOT', 'disk quota exceeded'],
    ['ENOTDIR', 'a part of the path is a file, not a directory'],
    ['EISDIR', 'it is a directory, not a file'],
    ['EEXIST', 'something is already there'],
    ['ENOTEMPTY', 'the directory is not empty'],
    ['EXDEV', 'it is on another file system, and a rename cannot cross file systems'],
    ['EROFS', 'the file system is read-only'],
    ['ENOENT', 'it does not exist (or a directory on its path does not exist)'],
    ['ENAMETOOLONG', 'the name is too long for the file system'],
    ['ELOOP', 'too many symbolic links on the path'],
    ['EBUSY', 'it is in use (a mount point, or held by another process)'],
    ['EMFILE', 'too many open files'],
  ])('%s: "cannot write <path>: %s (%s)", code IDPKIT_FILESYSTEM', (code, words) => {
    const error = fileSystemError(systemError(code, 'open', '/out/cdk.tf.json'), 'write');
    expect(error).toBeInstanceOf(IdpkitError);
    expect(error.code).toBe('IDPKIT_FILESYSTEM');
    expect(error.message).toBe(`cannot write /out/cdk.tf.json: ${words} (${code})`);
  });

  test('every code the table maps is covered above', () => {
    expect(Object.keys(FILE_SYSTEM_ERROR_WORDS).sort()).toEqual(['EACCES', 'EBUSY', 'EDQUOT', 'EEXIST', 'EISDIR', 'ELOOP', 'EMFILE', 'ENAMETOOLONG', 'ENOENT', 'ENOSPC', 'ENOTDIR', 'ENOTEMPTY', 'EPERM', 'EROFS', 'EXDEV']);
  });

  test("a code the table does not list is shown with the system's own message", () => {
    expect(fileSystemError(systemError('EIO', 'read', '/disk/x')).message).toBe("cannot read /disk/x: EIO: something, read '/disk/x' (EIO)");
  });

  test.each([
    ['open', 'open'],
    ['read', 'read'],
    ['scandir', 'read'],
    ['stat', 'read'],
    ['write', 'write'],
    ['mkdir', 'write'],
    ['mkdtemp', 'write'],
    ['symlink', 'write'],
    ['unlink', 'remove'],
    ['rmdir', 'remove'],
    ['chmod', 'access'],
  ])('without an action, syscall %s reads as "cannot %s"', (syscall, verb) => {
    expect(fileSystemError(systemError('EACCES', syscall, '/p')).message).toBe(`cannot ${verb} /p: permission denied (EACCES)`);
  });

  test('a rename names both paths; a path given names the one the user asked for; a hint says what to do', () => {
    expect(fileSystemError(systemError('EXDEV', 'rename', '/tmp/stage', '/mnt/out')).message).toBe('cannot move /tmp/stage to /mnt/out: it is on another file system, and a rename cannot cross file systems (EXDEV)');
    expect(fileSystemError(systemError('EACCES', 'open', '/tmp/.stage/new/x'), 'write', 'out/x').message).toBe('cannot write out/x: permission denied (EACCES)');
    expect(fileSystemError(systemError('ENOENT', 'open'), 'read').message).toBe('cannot read (unknown path): it does not exist (or a directory on its path does not exist) (ENOENT)');
    expect(fileSystemError(systemError('ENOENT', 'open', 'plan.json'), 'read', undefined, 'write one with terraform show -json').message).toBe(
      'cannot read plan.json: it does not exist (or a directory on its path does not exist) (ENOENT); write one with terraform show -json',
    );
  });

  test('real errors from node:fs read as the table says', () => {
    const dir = mkdtempSync(join(tmpdir(), 'idpkit-errors-'));
    writeFileSync(join(dir, 'file'), 'x');
    const thrown = (call: () => unknown): IdpkitError => {
      try {
        call();
      } catch (error) {
        const userError = userErrorOf(error);
        if (userError) return userError;
        throw error;
      }
      throw new Error('did not throw');
    };
    expect(thrown(() => readFileSync(join(dir, 'missing'))).message).toBe(`cannot open ${join(dir, 'missing')}: it does not exist (or a directory on its path does not exist) (ENOENT)`);
    // Node's EISDIR of a read carries no path: what reads a user's file names it (withFileSystemErrors, readTextFile).
    expect(thrown(() => readFileSync(dir)).message).toBe('cannot read (unknown path): it is a directory, not a file (EISDIR)');
    expect(thrown(() => withFileSystemErrors('read', dir, () => readFileSync(dir))).message).toBe(`cannot read ${dir}: it is a directory, not a file (EISDIR)`);
    expect(thrown(() => readFileSync(join(dir, 'file', 'child'))).message).toBe(`cannot open ${join(dir, 'file', 'child')}: a part of the path is a file, not a directory (ENOTDIR)`);
    expect(thrown(() => mkdirSync(join(dir, 'file'))).message).toBe(`cannot write ${join(dir, 'file')}: something is already there (EEXIST)`);
    expect(thrown(() => rmdirSync(dir)).message).toBe(`cannot remove ${dir}: the directory is not empty (ENOTEMPTY)`);
    expect(thrown(() => writeFileSync(join(dir, 'x'.repeat(300)), 'x')).message).toBe(`cannot open ${join(dir, 'x'.repeat(300))}: the name is too long for the file system (ENAMETOOLONG)`);
  });
});

describe('withFileSystemErrors', () => {
  test("returns the call's value, and turns its filesystem error into cannot <action> <path>", () => {
    expect(withFileSystemErrors('write', 'out', () => 42)).toBe(42);
    expect(() =>
      withFileSystemErrors('write', 'cdktf.out/stacks', () => {
        throw systemError('ENOSPC', 'write', '/tmp/stage/stacks');
      }),
    ).toThrow(new IdpkitError('IDPKIT_FILESYSTEM', ['cannot write cdktf.out/stacks: no space left on the device (ENOSPC)']));
    expect(() =>
      withFileSystemErrors('read', 'plan.json', () => {
        throw systemError('EACCES', 'open', '/abs/plan.json');
      }, 'check its permissions'),
    ).toThrow('cannot read plan.json: permission denied (EACCES); check its permissions');
  });

  test('lets anything else through as it is: an IdpkitError, a bug', () => {
    const own = new IdpkitError('IDPKIT_INVALID_INPUT', ['x']);
    const bug = new TypeError('cannot read properties of undefined');
    for (const error of [own, bug]) {
      expect(() =>
        withFileSystemErrors('write', 'out', () => {
          throw error;
        }),
      ).toThrow(error);
    }
  });
});

describe('userErrorOf', () => {
  test('an IdpkitError is itself; a filesystem error becomes fileSystemError; anything else is a bug (undefined)', () => {
    const own = new IdpkitError('IDPKIT_INVALID_INPUT', ['x']);
    expect(userErrorOf(own)).toBe(own);
    expect(userErrorOf(systemError('EROFS', 'mkdir', '/ro/out'))?.message).toBe('cannot write /ro/out: the file system is read-only (EROFS)');
    expect(userErrorOf(new TypeError('x'))).toBeUndefined();
    expect(userErrorOf('a string')).toBeUndefined();
    expect(userErrorOf({ code: 'EACCES', syscall: 'open' })).toBeUndefined();
    expect(userErrorOf(Object.assign(new Error('x'), { code: 'ERR_INVALID_ARG_TYPE' }))).toBeUndefined();
  });

  test('a filesystem error from another realm (a VM context, as under a test runner) is one too', () => {
    const foreign = runInNewContext('Object.assign(new Error("EACCES: permission denied"), { code: "EACCES", syscall: "open", path: "/x" })') as unknown;
    expect(foreign instanceof Error).toBe(false);
    expect(userErrorOf(foreign)?.message).toBe('cannot open /x: permission denied (EACCES)');
  });
});
