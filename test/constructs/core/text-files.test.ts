import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IdpkitError } from '../../../constructs/core/errors';
import { decodeText, readTextFile } from '../../../constructs/core/text-files';

const TEXT = '{"format_version": "1.2", "note": "Zürich ✓"}';
const utf16be = (text: string): Buffer => Buffer.from(text, 'utf16le').swap16();
const decode = (bytes: Buffer): string => decodeText(bytes, 'plan.json', 'IDPKIT_INVALID_INPUT');
const refusal = (bytes: Buffer): string => {
  try {
    decode(bytes);
  } catch (error) {
    if (error instanceof IdpkitError && error.code === 'IDPKIT_INVALID_INPUT') return error.message;
    throw error;
  }
  throw new Error('decoded');
};

describe('decodeText', () => {
  test.each([
    ['UTF-8', Buffer.from(TEXT, 'utf8')],
    ['UTF-8 with a byte order mark (Notepad, PowerShell 5 Out-File -Encoding utf8)', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(TEXT, 'utf8')])],
    ['UTF-16 LE with a byte order mark (PowerShell 5 `>`)', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(TEXT, 'utf16le')])],
    ['UTF-16 BE with a byte order mark', Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be(TEXT)])],
    ['UTF-16 LE without a byte order mark', Buffer.from(TEXT, 'utf16le')],
    ['UTF-16 BE without a byte order mark', utf16be(TEXT)],
  ])('reads %s as the same text, without the mark', (_, bytes) => {
    expect(decode(bytes)).toBe(TEXT);
  });

  test('an empty file is empty text; UTF-8 that holds U+FFFD itself is no decoding error', () => {
    expect(decode(Buffer.alloc(0))).toBe('');
    expect(decode(Buffer.from('{"x": "\uFFFD"}', 'utf8'))).toBe('{"x": "\uFFFD"}');
  });

  test.each([
    ['UTF-32 LE', Buffer.concat([Buffer.from([0xff, 0xfe, 0x00, 0x00]), Buffer.from('{}\u0000\u0000', 'utf16le')]), 'plan.json: the file is encoded as UTF-32 LE, which idpkit does not read; save it as UTF-8 and try again'],
    ['UTF-32 BE', Buffer.from([0x00, 0x00, 0xfe, 0xff, 0x00, 0x00, 0x00, 0x7b]), 'plan.json: the file is encoded as UTF-32 BE, which idpkit does not read; save it as UTF-8 and try again'],
    ['odd-length UTF-16 LE', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('{}', 'utf16le'), Buffer.from([0x0a])]), 'plan.json: the file starts with a UTF-16 LE byte order mark but has an odd number of bytes; save it as UTF-8 and try again'],
    ['odd-length UTF-16 BE', Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be('{}'), Buffer.from([0x0a])]), 'plan.json: the file starts with a UTF-16 BE byte order mark but has an odd number of bytes; save it as UTF-8 and try again'],
    ['Latin-1', Buffer.from('{"city": "Zürich"}', 'latin1'), 'plan.json: the file is not valid UTF-8 (it may be Latin-1 or another legacy encoding); save it as UTF-8 and try again'],
  ])('refuses %s, naming the file and what to do', (_, bytes, message) => {
    expect(refusal(bytes)).toBe(message);
  });
});

describe('readTextFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'idpkit-text-'));

  test('reads a UTF-16 file; names the path as shown in messages', () => {
    const file = join(dir, 'plan.json');
    writeFileSync(file, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(TEXT, 'utf16le')]));
    expect(readTextFile(file, 'IDPKIT_INVALID_INPUT')).toBe(TEXT);
    writeFileSync(file, Buffer.from([0xff, 0xfe, 0x00, 0x00]));
    expect(() => readTextFile(file, 'IDPKIT_INVALID_INPUT', 'stacks/dev/plan.json')).toThrow('stacks/dev/plan.json: the file is encoded as UTF-32 LE');
  });

  test('a missing file, a directory and a path through a file are "cannot read <path>" (IDPKIT_FILESYSTEM), with the hint given', () => {
    mkdirSync(join(dir, 'a-directory'));
    writeFileSync(join(dir, 'a-file'), 'x');
    const cases = [
      ['missing.json', 'it does not exist (or a directory on its path does not exist) (ENOENT)'],
      ['a-directory', 'it is a directory, not a file (EISDIR)'],
      ['a-file/plan.json', 'a part of the path is a file, not a directory (ENOTDIR)'],
    ];
    for (const [path, words] of cases) {
      expect(() => readTextFile(join(dir, path), 'IDPKIT_INVALID_INPUT', path, 'write one first')).toThrow(new IdpkitError('IDPKIT_FILESYSTEM', [`cannot read ${path}: ${words}; write one first`]));
    }
  });
});
