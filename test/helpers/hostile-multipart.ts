/** Malformed and unusual multipart bodies: missing, wrong and empty boundaries, truncation, odd parts. */
import type { BodyVariant } from './hostile-bodies.js';

const BOUNDARY = 'HostileBoundary7MA4YWxkTrZu0gW';
const CRLF = '\r\n';

const filePart = (boundary: string, name: string, fileName: string, content: string, type = 'image/png'): string =>
  `--${boundary}${CRLF}Content-Disposition: form-data; name="${name}"; filename="${fileName}"${CRLF}` +
  `Content-Type: ${type}${CRLF}${CRLF}${content}${CRLF}`;
const closing = (boundary: string): string => `--${boundary}--${CRLF}`;
const wellFormed = (boundary = BOUNDARY): string => filePart(boundary, 'avatar', 'a.png', 'not really an image') + closing(boundary);
const typeWith = (boundary: string): Record<string, string> => ({ 'content-type': `multipart/form-data; boundary=${boundary}` });
// Part headers travel as bytes: NUL and non-ASCII in names must not be re-encoded on the way.
const bytes = (text: string): Uint8Array => Buffer.from(text, 'utf8');

let built: BodyVariant[] | undefined;

/** Multipart variants for every operation that takes a body (the avatar upload reads multipart); built once. */
export function multipartVariants(): BodyVariant[] {
  built ??= build();
  return built;
}

function build(): BodyVariant[] {
  const whole = wellFormed();
  const longBoundary = 'b'.repeat(300);
  return [
    { label: 'multipart: no boundary parameter', headers: { 'content-type': 'multipart/form-data' }, body: whole },
    { label: 'multipart: wrong boundary', headers: typeWith('SomeOtherBoundary'), body: whole },
    { label: 'multipart: empty boundary', headers: { 'content-type': 'multipart/form-data; boundary=' }, body: whole },
    { label: 'multipart: truncated in the file content', headers: typeWith(BOUNDARY), body: whole.slice(0, whole.indexOf('really')) },
    {
      label: 'multipart: truncated inside the part headers',
      headers: typeWith(BOUNDARY),
      body: `--${BOUNDARY}${CRLF}Content-Disposition: form-da`,
    },
    { label: 'multipart: truncated before the closing delimiter', headers: typeWith(BOUNDARY), body: whole.slice(0, -8) },
    { label: 'multipart: empty body', headers: typeWith(BOUNDARY), body: '' },
    { label: 'multipart: closing delimiter only', headers: typeWith(BOUNDARY), body: closing(BOUNDARY) },
    { label: 'multipart: 300-character boundary', headers: typeWith(longBoundary), body: wellFormed(longBoundary) },
    {
      label: 'multipart: two files',
      headers: typeWith(BOUNDARY),
      body: filePart(BOUNDARY, 'a', 'a.png', 'one') + filePart(BOUNDARY, 'b', 'b.png', 'two') + closing(BOUNDARY),
    },
    {
      label: 'multipart: NUL, U+202E and U+200B in field and file names',
      headers: typeWith(BOUNDARY),
      body: bytes(filePart(BOUNDARY, 'av\u0000\u200b', 'a\u202egnp.exe\u0000.png', 'x') + closing(BOUNDARY)),
    },
    {
      label: 'multipart: part without Content-Disposition',
      headers: typeWith(BOUNDARY),
      body: `--${BOUNDARY}${CRLF}Content-Type: image/png${CRLF}${CRLF}x${CRLF}${closing(BOUNDARY)}`,
    },
    {
      label: 'multipart: text file named .png',
      headers: typeWith(BOUNDARY),
      body: filePart(BOUNDARY, 'avatar', 'a.png', 'hello', 'text/plain') + closing(BOUNDARY),
    },
    {
      label: 'multipart: 3 MiB file',
      headers: typeWith(BOUNDARY),
      body: filePart(BOUNDARY, 'avatar', 'big.png', 'z'.repeat(3 * 1024 * 1024)) + closing(BOUNDARY),
    },
    { label: 'multipart/mixed instead of form-data', headers: { 'content-type': `multipart/mixed; boundary=${BOUNDARY}` }, body: whole },
  ];
}
