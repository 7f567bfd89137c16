/**
 * One ticket as its customer sees it: the facts, the thread (components/tickets/Thread.tsx), and the forms
 * that fit its status: reply (with files), close, reopen (within 7 days of resolving or closing), and the
 * CSAT rating (1–5 and a comment) once it is resolved or closed, once. Every form works without JavaScript;
 * the LiveTicket island only adds new agent replies without a reload.
 */
import { formatDate, numberFormat } from "../../lib/i18n/format.ts";
import type { Department, TicketWithMessages } from "../../lib/tickets/store.ts";
import { LiveRepliesIsland } from "../islands.ts";
import { Notice } from "../ui/Notice.tsx";
import type { I18n } from "../ui/types.ts";
import {
  BodyField,
  departmentName,
  FilesField,
  priorityKey,
  SCORE_KEYS,
  StatusBadge,
  TicketNumber,
} from "./parts.tsx";
import { Thread, threadOf } from "./Thread.tsx";
import { TicketNotice } from "./TicketsPage.tsx";

const REOPEN_DAYS = 7;

/** True while a resolved or closed ticket can still be reopened by its customer (7 days, as tickets.change_status). */
export function canReopen(ticket: TicketWithMessages, now = new Date()): boolean {
  if (ticket.status !== "resolved" && ticket.status !== "closed") return false;
  if (ticket.mergedInto) return false;
  const since = ticket.closedAt ?? ticket.resolvedAt;
  return !!since && now.getTime() - since.getTime() <= REOPEN_DAYS * 24 * 3600 * 1000;
}

export interface TicketPageProps extends I18n {
  ticket: TicketWithMessages;
  departments: Department[];
  /** Signed URLs of the attachments, by path. */
  links: Record<string, string>;
  notice?: string;
  /** A refused action's message and the text to keep in the reply box. */
  problem?: string;
  reply?: string;
}

export function TicketPage(
  { t, locale, ticket, departments, links, notice, problem, reply }: TicketPageProps,
) {
  const open = ticket.status !== "closed" && !ticket.mergedInto;
  const ratable = (ticket.status === "resolved" || ticket.status === "closed") && ticket.csatScore === null;
  return (
    <>
      <div class="page-head">
        <h1>
          <TicketNumber number={ticket.number} locale={locale} class="ltr-inline" /> ·{" "}
          <bdi>{ticket.subject}</bdi>
        </h1>
        <p class="actions">
          <a class="button button-ghost" href="/tickets">{t("tickets.list.title")}</a>
        </p>
      </div>
      <TicketNotice t={t} notice={notice} />
      <Notice kind="error" text={problem} id="form-problem" />
      <dl class="facts ticket-facts" data-ticket={ticket.id}>
        <dt>{t("tickets.field.status")}</dt>
        <dd id="ticket-status">
          <StatusBadge t={t} status={ticket.status} />
        </dd>
        <dt>{t("tickets.field.department")}</dt>
        <dd>{departmentName(departments, ticket.departmentId, locale)}</dd>
        <dt>{t("tickets.field.priority")}</dt>
        <dd>{t(priorityKey(ticket.priority))}</dd>
        <dt>{t("tickets.field.opened")}</dt>
        <dd>{formatDate(ticket.createdAt, locale, { time: true })}</dd>
        {ticket.paymentId && (
          <>
            <dt>{t("tickets.field.link")}</dt>
            <dd>
              <a href={`/wallet/payments/${ticket.paymentId}`}>{t("tickets.link.paymentShort")}</a>
            </dd>
          </>
        )}
        {ticket.withdrawalId && (
          <>
            <dt>{t("tickets.field.link")}</dt>
            <dd>
              <a href="/wallet/withdrawals">{t("tickets.link.withdrawalShort")}</a>
            </dd>
          </>
        )}
      </dl>
      {ticket.mergedInto && (
        <Notice kind="info">
          <a href={`/tickets/${ticket.mergedInto}`}>{t("tickets.merged")}</a>
        </Notice>
      )}

      <Thread
        t={t}
        locale={locale}
        entries={threadOf(ticket)}
        links={links}
        author={(entry) =>
          entry.authorRole === "customer" ? t("tickets.author.you") : t("tickets.author.support")}
      />
      {!ticket.mergedInto && (
        <LiveRepliesIsland events={`/tickets/${ticket.id}/events`} label={t("tickets.live.newReply")} />
      )}

      {open && (
        <form
          method="post"
          action={`/tickets/${ticket.id}/reply`}
          enctype="multipart/form-data"
          class="stack ticket-reply"
        >
          <h2>{t("tickets.reply.title")}</h2>
          <BodyField name="body" label={t("tickets.field.message")} value={reply} required rows={4} />
          <FilesField t={t} />
          <p class="actions">
            <button type="submit">{t("tickets.reply.submit")}</button>
          </p>
        </form>
      )}

      {ratable && (
        <form method="post" action={`/tickets/${ticket.id}/rate`} class="stack ticket-rate">
          <h2>{t("tickets.rate.title")}</h2>
          <fieldset class="rating">
            <legend>{t("tickets.rate.score")}</legend>
            {SCORE_KEYS.map(([n, key]) => (
              <label class="rating-option">
                <input type="radio" name="score" value={String(n)} required /> {t(key)}
              </label>
            ))}
          </fieldset>
          <BodyField name="comment" label={t("tickets.rate.comment")} rows={3} />
          <p class="actions">
            <button type="submit">{t("tickets.rate.submit")}</button>
          </p>
        </form>
      )}
      {ticket.csatScore !== null && (
        <p class="rated" id="ticket-rating" data-score={String(ticket.csatScore)}>
          {t("tickets.rate.done", {
            score: numberFormat(locale === "fa" ? "fa-IR" : "en-US").format(ticket.csatScore),
          })}
        </p>
      )}

      <div class="actions ticket-actions">
        {ticket.status !== "closed" && !ticket.mergedInto && (
          <form method="post" action={`/tickets/${ticket.id}/close`}>
            <button type="submit" class="button-ghost">{t("tickets.action.close")}</button>
          </form>
        )}
        {canReopen(ticket) && (
          <form method="post" action={`/tickets/${ticket.id}/reopen`}>
            <button type="submit" class="button-ghost">{t("tickets.action.reopen")}</button>
          </form>
        )}
      </div>
    </>
  );
}
