/**
 * A ticket's thread: the opening message (the ticket's own body and attachments) followed by every message
 * the viewer may see, each with its author, time, internal-note styling and attachments. Images show as
 * thumbnails, other files as links; both through the short-lived signed URLs the handler made (`links`,
 * attachment path → URL). Used by the customer page (/tickets/:id) and the staff work page.
 */
import { formatDate, numberFormat } from "../../lib/i18n/format.ts";
import type { TicketAttachment, TicketMessage, TicketWithMessages } from "../../lib/tickets/store.ts";
import type { I18n } from "../ui/types.ts";

/** One entry of the thread: a message, or the ticket's opening (id "opening"). */
export interface ThreadEntry {
  id: string;
  authorRole: TicketMessage["authorRole"];
  authorId: string | null;
  body: string;
  internal: boolean;
  createdAt: Date;
  attachments: TicketAttachment[];
}

/** The ticket's opening followed by its messages, oldest first. */
export function threadOf(ticket: TicketWithMessages): ThreadEntry[] {
  const opening: ThreadEntry = {
    id: "opening",
    authorRole: "customer",
    authorId: ticket.customerId,
    body: ticket.body,
    internal: false,
    createdAt: ticket.createdAt,
    attachments: ticket.attachments,
  };
  return [opening, ...ticket.messages];
}

export interface ThreadProps extends I18n {
  entries: ThreadEntry[];
  /** Signed download URLs by attachment path; an attachment without one is listed by name only. */
  links: Record<string, string>;
  /** Who wrote an entry, as the viewer should read it (e.g. "You" / "Support", or an agent's name). */
  author: (entry: ThreadEntry) => string;
}

const IMAGE_TYPES = new Set(["image/png", "image/jpeg", "image/webp"]);

/** A file size in KB/MB, in the viewer's digits. */
export function fileSize(bytes: number, locale: I18n["locale"]): string {
  const mb = bytes >= 1024 * 1024;
  const value = mb ? bytes / (1024 * 1024) : Math.max(1, Math.round(bytes / 1024));
  const number = numberFormat(locale === "fa" ? "fa-IR" : "en-US", { maximumFractionDigits: 1 }).format(
    value,
  );
  if (locale === "fa") return `${number} ${mb ? "مگابایت" : "کیلوبایت"}`;
  return `${number} ${mb ? "MB" : "KB"}`;
}

function Attachment(
  { file, url, locale }: { file: TicketAttachment; url?: string; locale: I18n["locale"] },
) {
  const size = fileSize(file.size, locale);
  if (!url) {
    return (
      <li class="attachment" data-attachment={file.path}>
        <bdi>{file.name}</bdi> <span class="muted">({size})</span>
      </li>
    );
  }
  return (
    <li class="attachment" data-attachment={file.path}>
      {IMAGE_TYPES.has(file.mime) && (
        <a href={url} class="attachment-thumb" target="_blank" rel="noopener">
          <img src={url} alt={file.name} loading="lazy" width={160} height={120} />
        </a>
      )}
      <a href={url} target="_blank" rel="noopener" download={file.name}>
        <bdi>{file.name}</bdi>
      </a>{" "}
      <span class="muted">({size})</span>
    </li>
  );
}

export function Thread({ t, locale, entries, links, author }: ThreadProps) {
  return (
    <ol class="thread" aria-label={t("tickets.thread.label")}>
      {entries.map((entry) => (
        <li
          class={`thread-message thread-${entry.authorRole}${entry.internal ? " thread-internal" : ""}`}
          data-message={entry.id}
          data-author-role={entry.authorRole}
          data-internal={entry.internal ? "true" : undefined}
        >
          <header class="thread-head">
            <strong>{author(entry)}</strong>
            {entry.internal && <span class="badge badge-warning">{t("tickets.thread.internal")}</span>}
            <time dateTime={entry.createdAt.toISOString()}>
              {formatDate(entry.createdAt, locale, { time: true })}
            </time>
          </header>
          <div class="thread-body" dir="auto">{entry.body}</div>
          {entry.attachments.length > 0 && (
            <ul class="attachments" aria-label={t("tickets.thread.attachments")}>
              {entry.attachments.map((file) => (
                <Attachment file={file} url={links[file.path]} locale={locale} />
              ))}
            </ul>
          )}
        </li>
      ))}
    </ol>
  );
}
