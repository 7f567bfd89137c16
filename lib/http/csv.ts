/** CSV downloads: RFC 4180 lines that spreadsheets open safely, streamed page by page (keyset cursors). */

export type CsvCell = string | number | bigint | boolean | null | undefined;

/** One line ending in CRLF; a text cell starting with = + - @ gets a leading apostrophe (CSV injection). */
export function csvRow(cells: CsvCell[]): string {
  return cells.map((cell) => {
    if (cell === null || cell === undefined) return "";
    let text = String(cell);
    if (typeof cell === "string" && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  }).join(",") + "\r\n";
}

export interface CsvPage {
  rows: CsvCell[][];
  /** Cursor of the next page; absent on the last one. */
  next?: string | null;
}

/**
 * A CSV attachment (with a BOM so spreadsheets read UTF-8) whose body asks for one page at a time, so any
 * number of rows fits in constant memory.
 */
export function pagedCsvResponse(
  options: { filename: string; header: string[]; page: (cursor: string | undefined) => Promise<CsvPage> },
): Response {
  const encoder = new TextEncoder();
  let cursor: string | undefined;
  let started = false;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(encoder.encode("\ufeff" + csvRow(options.header)));
      }
      const page = await options.page(cursor);
      controller.enqueue(encoder.encode(page.rows.map(csvRow).join("")));
      cursor = page.next ?? undefined;
      if (!cursor) controller.close();
    },
  });
  return new Response(body, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${options.filename}"`,
      "cache-control": "private, no-store",
    },
  });
}
