/** CSV lines (RFC 4180) that spreadsheets open safely: quoted when needed, formulas defused. */

/** One line ending in CRLF; a text cell starting with = + - @ gets a leading apostrophe (CSV injection). */
export function csvRow(cells: (string | number | bigint | boolean | null | undefined)[]): string {
  return cells.map((cell) => {
    if (cell === null || cell === undefined) return "";
    let text = String(cell);
    if (typeof cell === "string" && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  }).join(",") + "\r\n";
}
