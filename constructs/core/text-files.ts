/**
 * Reading the text files users give idpkit (environment files, plans, policy files) whatever
 * encoding their editor or shell saved them in: UTF-8 with or without a byte order mark, and
 * UTF-16 (PowerShell's `>` writes UTF-16 LE with a BOM). Other encodings are refused by name.
 */
import { readFileSync } from 'node:fs';
import { IdpkitError, IdpkitErrorCode, withFileSystemErrors } from './errors';

/** Byte order marks, longest first (UTF-32 LE starts like UTF-16 LE): the encoding each announces, and whether idpkit decodes it. */
const BYTE_ORDER_MARKS: readonly { readonly bytes: readonly number[]; readonly encoding: string; readonly decode?: (body: Buffer) => string }[] = [
  { bytes: [0xff, 0xfe, 0x00, 0x00], encoding: 'UTF-32 LE' },
  { bytes: [0x00, 0x00, 0xfe, 0xff], encoding: 'UTF-32 BE' },
  { bytes: [0xef, 0xbb, 0xbf], encoding: 'UTF-8 with a byte order mark', decode: (body) => body.toString('utf8') },
  { bytes: [0xff, 0xfe], encoding: 'UTF-16 LE', decode: (body) => body.toString('utf16le') },
  { bytes: [0xfe, 0xff], encoding: 'UTF-16 BE', decode: (body) => Buffer.from(body).swap16().toString('utf16le') },
];

/**
 * Decodes a file's bytes to text: a byte order mark says the encoding (UTF-8, UTF-16 LE/BE);
 * without one, UTF-16 (LE or BE) is recognised by its zero high bytes in the first characters, else the
 * text is UTF-8. Throws an IdpkitError naming the file and the encoding when it cannot be decoded
 * (UTF-32, an odd-length UTF-16 file, bytes that are not UTF-8).
 */
export function decodeText(bytes: Buffer, path: string, code: IdpkitErrorCode): string {
  const refuse = (why: string) => new IdpkitError(code, [`${path}: ${why}; save it as UTF-8 and try again`]);
  const mark = BYTE_ORDER_MARKS.find((candidate) => candidate.bytes.every((byte, index) => bytes[index] === byte));
  if (mark) {
    if (!mark.decode) throw refuse(`the file is encoded as ${mark.encoding}, which idpkit does not read`);
    const body = bytes.subarray(mark.bytes.length);
    if (mark.encoding.startsWith('UTF-16') && body.length % 2 !== 0) throw refuse(`the file starts with a ${mark.encoding} byte order mark but has an odd number of bytes`);
    return mark.decode(body);
  }
  if (looksLikeUtf16(bytes, 'LE')) return bytes.toString('utf16le');
  if (looksLikeUtf16(bytes, 'BE')) return Buffer.from(bytes).swap16().toString('utf16le');
  const text = bytes.toString('utf8');
  if (text.includes('\uFFFD') && !bytes.includes(Buffer.from('\uFFFD'))) throw refuse('the file is not valid UTF-8 (it may be Latin-1 or another legacy encoding)');
  return text;
}

/** UTF-16 without a mark: an even length and, in the first characters, each one's low byte non-zero and its high byte zero (ASCII text, as JSON and YAML start). */
function looksLikeUtf16(bytes: Buffer, order: 'LE' | 'BE'): boolean {
  const sample = Math.min(bytes.length, 64);
  if (sample < 2 || bytes.length % 2 !== 0) return false;
  const [low, high] = order === 'LE' ? [0, 1] : [1, 0];
  for (let index = 0; index < sample; index += 2) if (bytes[index + low] === 0 || bytes[index + high] !== 0) return false;
  return true;
}

/**
 * Reads a user's text file ({@link decodeText}); a filesystem error becomes `cannot read <path>: ...` (IDPKIT_FILESYSTEM).
 *
 * @param shownAs the path as messages name it, e.g. as the user gave it before it was resolved
 * @param hint what to do, appended to a filesystem error (`write one with ...`) @default - none
 */
export function readTextFile(path: string, code: IdpkitErrorCode, shownAs: string = path, hint?: string): string {
  return decodeText(
    withFileSystemErrors('read', shownAs, () => readFileSync(path), hint),
    shownAs,
    code,
  );
}
