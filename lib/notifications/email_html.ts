/**
 * The HTML part of a notification email. Mail clients show a plain-text message left to right, so a Persian
 * notice read as a jumble of right-to-left words on the left edge; the HTML part carries the message's
 * direction and language (`dir="rtl" lang="fa"`), with the subject as its heading. It is the rendered text and
 * nothing else — every character escaped, web addresses turned into links, blank lines into paragraphs — and a
 * button to the page the message is about, when it has one. Inline styles only (clients drop <style>), no
 * images, no scripts. The text part is still sent beside it.
 */
import { direction, type Locale } from "../i18n/mod.ts";

const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

/** http(s) addresses in a line of text (ending before whitespace, quotes and angle brackets). */
const WEB_ADDRESS = /https?:\/\/[^\s<>"']+/g;

/** One line as HTML: escaped, its web addresses as links (shown as written). */
function lineHtml(line: string): string {
  let html = "";
  let at = 0;
  for (const match of line.matchAll(WEB_ADDRESS)) {
    // A sentence's full stop or comma after an address is not part of it.
    const address = match[0].replace(/[.,;:!?)]+$/, "");
    html += escapeHtml(line.slice(at, match.index));
    html += `<a href="${escapeHtml(address)}" style="color:#0f766e">${escapeHtml(address)}</a>`;
    at = match.index! + address.length;
  }
  return html + escapeHtml(line.slice(at));
}

/** A button to the page the message is about. */
export interface EmailAction {
  label: string;
  href: string;
}

export function emailHtml(
  { subject, text, locale, action }: { subject: string; text: string; locale: Locale; action?: EmailAction },
): string {
  const dir = direction(locale);
  const paragraphs = text.trim().split(/\r?\n\s*\r?\n/).map((paragraph) =>
    `<p style="margin:0 0 16px">${paragraph.split(/\r?\n/).map(lineHtml).join("<br>")}</p>`
  );
  const box = [
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
    `text-align:${dir === "rtl" ? "right" : "left"}`,
  ].join(";");
  return `<!doctype html><html lang="${locale}" dir="${dir}"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1"><title>${
      escapeHtml(subject)
    }</title>` +
    `</head><body style="margin:0;padding:24px;background:#f8fafc"><div dir="${dir}" style="${box}">` +
    `<h1 style="margin:0 0 16px;font-size:20px;line-height:1.4;color:#0f766e">${escapeHtml(subject)}</h1>` +
    `${paragraphs.join("")}${action ? actionHtml(action) : ""}</div></body></html>`;
}

function actionHtml({ label, href }: EmailAction): string {
  const style = "display:inline-block;background:#0f766e;color:#ffffff;padding:10px 20px;border-radius:8px;" +
    "text-decoration:none;font-weight:bold";
  return `<p style="margin:24px 0 0"><a href="${escapeHtml(href)}" style="${style}">${
    escapeHtml(label)
  }</a></p>`;
}
