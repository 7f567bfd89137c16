/**
 * A small multipart/form-data reader. storage-js sends the file as a part named "" (an empty field name),
 * which the runtime's Request.formData() drops, so the stand-in parses the body itself.
 */

export interface Part {
  name: string;
  filename?: string;
  type?: string;
  data: Uint8Array;
}

function indexOf(haystack: Uint8Array, needle: Uint8Array, from: number): number {
  outer: for (let i = from; i <= haystack.length - needle.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

/** The parts of a multipart body, or null when the content type has no boundary. */
export function parseMultipart(contentType: string, body: Uint8Array): Part[] | null {
  const boundary = contentType.match(/boundary=(?:"([^"]+)"|([^;]+))/i);
  if (!boundary) return null;
  const encoder = new TextEncoder();
  const delimiter = encoder.encode(`--${boundary[1] ?? boundary[2].trim()}`);
  const separator = encoder.encode("\r\n\r\n");
  const parts: Part[] = [];
  let at = indexOf(body, delimiter, 0);
  while (at >= 0) {
    const start = at + delimiter.length;
    if (body[start] === 45 && body[start + 1] === 45) break; // "--": the closing delimiter
    const next = indexOf(body, delimiter, start);
    if (next < 0) break;
    const headersEnd = indexOf(body, separator, start);
    if (headersEnd < 0 || headersEnd > next) break;
    const headers = new TextDecoder().decode(body.subarray(start, headersEnd));
    const disposition = headers.match(/content-disposition:[^\r\n]*/i)?.[0] ?? "";
    const name = disposition.match(/\bname="([^"]*)"/i)?.[1] ?? "";
    const filename = disposition.match(/\bfilename="([^"]*)"/i)?.[1];
    const type = headers.match(/content-type:\s*([^\r\n]*)/i)?.[1]?.trim();
    // The part's data ends before the CRLF that precedes the next delimiter.
    parts.push({ name, filename, type, data: body.slice(headersEnd + separator.length, next - 2) });
    at = next;
  }
  return parts;
}
