/**
 * The HTML part of a notification email. Mail clients show a plain-text message left to right, so a Persian
 * notice read as a jumble of right-to-left words on the left edge; the HTML part carries the message's
 * direction and language (`dir="rtl" lang="fa"`), with the subject as its heading. It is the rendered text and
 * nothing else — every character escaped, web addresses turned into links, blank lines into paragraphs — and a
 * button to the page the message is about, when it has one. Inline styles only (clients drop <style>), no
 * images, no scripts. The text part is still sent beside it.
 */
import { html } from "hono/html";
import { direction, type Locale } from "../i18n/mod.ts";

/** Hono's `html` template: every interpolated string is escaped (& < > " '), nested `html` parts are kept. */
type Html = ReturnType<typeof html>;

/** http(s) addresses in a line of text (ending before whitespace, quotes and angle brackets). */
const WEB_ADDRESS = /https?:\/\/[^\s<>"']+/g;

/** One line as HTML: escaped, its web addresses as links (shown as written). */
function lineHtml(line: string): (string | Html)[] {
  const parts: (string | Html)[] = [];
  let at = 0;
  for (const match of line.matchAll(WEB_ADDRESS)) {
    // A sentence's full stop or comma after an address is not part of it.
    const address = match[0].replace(/[.,;:!?)]+$/, "");
    parts.push(line.slice(at, match.index), html`<a href="${address}" style="color:#0f766e">${address}</a>`);
    at = match.index! + address.length;
  }
  parts.push(line.slice(at));
  return parts;
}

/** A paragraph: its lines joined by <br>. */
function paragraphHtml(paragraph: string): Html {
  const lines = paragraph.split(/\r?\n/).map((line, i) =>
    i ? [html`<br>`, ...lineHtml(line)] : lineHtml(line)
  );
  return html`<p style="margin:0 0 16px">${lines}</p>`;
}

/** A button to the page the message is about. */
export interface EmailAction {
  label: string;
  href: string;
}

const BOX = [
  "max-width:560px",
  "margin:0 auto",
  "background:#ffffff",
  "border:1px solid #e2e8f0",
  "border-radius:12px",
  "padding:24px",
  "font-family:Vazirmatn,Tahoma,'Segoe UI',Arial,sans-serif",
  "font-size:16px",
  "line-height:1.8",
  "color:#0f172a",
].join(";");
const BUTTON = "display:inline-block;background:#0f766e;color:#ffffff;padding:10px 20px;border-radius:8px;" +
  "text-decoration:none;font-weight:bold";

export function emailHtml(
  { subject, text, locale, action }: { subject: string; text: string; locale: Locale; action?: EmailAction },
): string {
  const dir = direction(locale);
  const box = `${BOX};text-align:${dir === "rtl" ? "right" : "left"}`;
  const button = action &&
    html`<p style="margin:24px 0 0"><a href="${action.href}" style="${BUTTON}">${action.label}</a></p>`;
  // deno-fmt-ignore: one line of markup (the formatter would indent it, and the whitespace would be sent).
  return String(html`<!doctype html><html lang="${locale}" dir="${dir}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${subject}</title></head><body style="margin:0;padding:24px;background:#f8fafc"><div dir="${dir}" style="${box}"><h1 style="margin:0 0 16px;font-size:20px;line-height:1.4;color:#0f766e">${subject}</h1>${text.trim().split(/\r?\n\s*\r?\n/).map(paragraphHtml)}${button}</div></body></html>`);
}
