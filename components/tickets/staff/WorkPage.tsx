/**
 * The staff work page (/admin/tickets/:id): the thread (components/tickets/Thread.tsx, internal notes
 * included), reply or internal note with @mentions and canned responses, status, assignment (manual and
 * round-robin), priority and department, tags, merge, the customer's related records (only with wallet.view /
 * payments.view), presence of other agents and SLA badges. Every form posts without JavaScript; the live
 * island adds new messages and presence as they happen.
 */
import type { MessageKey } from "../../../lib/i18n/mod.ts";
import { formatDate, formatNumber, formatToman } from "../../../lib/i18n/format.ts";
import type { Agent, Presence, RelatedRecords } from "../../../lib/tickets/desk.ts";
import {
  type CannedResponse,
  type Department,
  TICKET_PRIORITIES,
  type TicketStatus,
  type TicketWithMessages,
} from "../../../lib/tickets/store.ts";
import { Breadcrumbs } from "../../admin/shell.tsx";
import { Notice } from "../../ui/Notice.tsx";
import type { I18n } from "../../ui/types.ts";
import { TicketWorkLiveIsland } from "../../islands.ts";
import { Thread, type ThreadEntry, threadOf } from "../Thread.tsx";
import { departmentName, PriorityBadge, SlaBadge, SlaDue, StatusBadge } from "./parts.tsx";

export type WorkNotice =
  | "replied"
  | "noted"
  | "status"
  | "assigned"
  | "round_robin_none"
  | "tags"
  | "classified"
  | "merged";

export interface WorkPageProps extends I18n {
  ticket: TicketWithMessages;
  viewerId: string;
  departments: Department[];
  agents: Agent[];
  emails: Map<string, string>;
  canned: CannedResponse[];
  /** The reply box's text (a canned response filled for this ticket). */
  draft?: string;
  cannedId?: string;
  cannedLocale: "fa" | "en";
  related: RelatedRecords;
  presence: Presence[];
  /** Signed download URLs by attachment path (made with the agent's token; see Thread). */
  links: Record<string, string>;
  notice?: WorkNotice;
  /** The ticket number this one absorbed (after a merge redirect). */
  mergedFrom?: string;
  /** The customer's read-only, audited wallet page, when the viewer holds wallet.view_summary. */
  customerWalletHref?: string;
}

/** The statuses staff may move a ticket to from its current one (the SQL state machine decides again). */
const NEXT: Record<TicketStatus, TicketStatus[]> = {
  open: ["pending", "resolved", "closed"],
  reopened: ["pending", "resolved", "closed"],
  pending: ["open", "resolved", "closed"],
  resolved: ["closed", "reopened"],
  closed: ["reopened"],
};

export function presenceText(t: I18n["t"], presence: Presence[]): string {
  return presence.map((p) =>
    t(p.state === "replying" ? "tickets.staff.presence.replying" : "tickets.staff.presence.viewing", {
      email: p.email,
    })
  ).join(" · ");
}

export function WorkPage(props: WorkPageProps) {
  const { t, locale, ticket, departments, agents, emails, canned, related, presence } = props;
  const base = `/admin/tickets/${ticket.id}`;
  const author = (entry: ThreadEntry) =>
    entry.authorRole === "customer"
      ? t("tickets.staff.author.customer", { email: emails.get(entry.authorId ?? "") ?? "" })
      : entry.authorRole === "system"
      ? t("tickets.staff.author.system")
      : emails.get(entry.authorId ?? "") ?? t("tickets.staff.author.staff");
  return (
    <div class="stack ticket-work">
      <Breadcrumbs t={t}>
        <a href="/admin/tickets">{t("tickets.staff.queue.title")}</a>
      </Breadcrumbs>
      <h1>
        <bdi dir="ltr">{ticket.number}</bdi> <bdi>{ticket.subject}</bdi>
      </h1>
      <p class="ticket-badges">
        <StatusBadge t={t} status={ticket.status} /> <PriorityBadge t={t} priority={ticket.priority} />{" "}
        <SlaBadge t={t} ticket={ticket} /> <SlaDue t={t} locale={locale} ticket={ticket} />
      </p>
      <Notice
        kind="success"
        text={props.notice && t(`tickets.staff.notice.${props.notice}` as MessageKey)}
      />
      <Notice
        kind="info"
        text={props.mergedFrom ? t("tickets.staff.mergedFrom", { number: props.mergedFrom }) : undefined}
      />
      <TicketWorkLiveIsland
        events={`${base}/events`}
        presenceUrl={`${base}/presence`}
        presence={presenceText(t, presence)}
        labels={{
          customer: t("tickets.staff.author.customerShort"),
          staff: t("tickets.staff.author.staff"),
          internal: t("tickets.thread.internal"),
          newMessages: t("tickets.staff.live.ticket"),
          viewing: t("tickets.staff.presence.viewing", { email: "{email}" }),
          replying: t("tickets.staff.presence.replying", { email: "{email}" }),
        }}
        locale={locale}
      />
      <div class="ticket-layout">
        <section class="stack ticket-main">
          <Thread t={t} locale={locale} entries={threadOf(ticket)} links={props.links} author={author} />
          <form method="post" action={`${base}/reply`} class="card stack reply-form" id="reply">
            <div class="field">
              <label for="reply-body">{t("tickets.staff.reply.label")}</label>
              <textarea
                id="reply-body"
                name="body"
                required
                rows={6}
                maxLength={20000}
                dir="auto"
                aria-describedby="reply-body-hint"
              >
                {props.draft ?? ""}
              </textarea>
              <p class="hint" id="reply-body-hint">{t("tickets.staff.reply.hint")}</p>
            </div>
            <div class="checkbox">
              <input id="reply-internal" type="checkbox" name="internal" value="on" />
              <label for="reply-internal">{t("tickets.staff.reply.internal")}</label>
            </div>
            <button type="submit" class="button">{t("tickets.staff.reply.send")}</button>
          </form>
          {canned.length > 0 && (
            <form method="get" action={base} class="inline-form canned-form">
              <label for="canned-pick">{t("tickets.staff.canned.insert")}</label>
              <select id="canned-pick" name="canned">
                {canned.map((c) => (
                  <option value={c.id} selected={c.id === props.cannedId}>{c.title}</option>
                ))}
              </select>
              <label for="canned-lang" class="visually-hidden">{t("tickets.staff.canned.language")}</label>
              <select id="canned-lang" name="lang">
                <option value="fa" lang="fa" selected={props.cannedLocale === "fa"}>فارسی</option>
                <option value="en" lang="en" selected={props.cannedLocale === "en"}>English</option>
              </select>
              <button type="submit" class="button button-small button-secondary">
                {t("tickets.staff.canned.use")}
              </button>
            </form>
          )}
        </section>
        <aside class="stack ticket-side">
          <section class="card stack">
            <h2>{t("tickets.staff.details")}</h2>
            <dl class="details">
              <dt>{t("tickets.staff.column.customer")}</dt>
              <dd>
                <bdi dir="ltr">{emails.get(ticket.customerId) ?? "—"}</bdi>
              </dd>
              <dt>{t("tickets.staff.department")}</dt>
              <dd>{departmentName(departments, ticket.departmentId, locale)}</dd>
              <dt>{t("tickets.staff.column.updated")}</dt>
              <dd>{formatDate(ticket.updatedAt, locale, { time: true })}</dd>
            </dl>
            <form method="post" action={`${base}/status`} class="inline-form">
              <label for="status-to">{t("tickets.staff.column.status")}</label>
              <select id="status-to" name="status">
                {NEXT[ticket.status].map((s) => (
                  <option value={s}>{t(`tickets.staff.status.${s}` as MessageKey)}</option>
                ))}
              </select>
              <button type="submit" class="button button-small">{t("tickets.staff.change")}</button>
            </form>
          </section>
          <section class="card stack">
            <h2>{t("tickets.staff.column.assignee")}</h2>
            <form method="post" action={`${base}/assign`} class="inline-form">
              <label for="assign-to" class="visually-hidden">{t("tickets.staff.column.assignee")}</label>
              <select id="assign-to" name="assignee">
                <option value="">{t("tickets.staff.unassigned")}</option>
                {agents.map((a) => (
                  <option value={a.id} selected={a.id === ticket.assigneeId}>
                    {a.email}
                    {a.available ? "" : ` (${t("tickets.staff.unavailable")})`}
                  </option>
                ))}
              </select>
              <button type="submit" class="button button-small">{t("tickets.staff.assign")}</button>
            </form>
            <form method="post" action={`${base}/round-robin`}>
              <button type="submit" class="button button-small button-secondary">
                {t("tickets.staff.roundRobin")}
              </button>
            </form>
          </section>
          <section class="card stack">
            <h2>{t("tickets.staff.classify")}</h2>
            <form method="post" action={`${base}/classify`} class="stack">
              <div class="field">
                <label for="classify-priority">{t("tickets.staff.priority")}</label>
                <select id="classify-priority" name="priority">
                  {TICKET_PRIORITIES.map((p) => (
                    <option value={p} selected={p === ticket.priority}>
                      {t(`tickets.staff.priority.${p}` as MessageKey)}
                    </option>
                  ))}
                </select>
              </div>
              <div class="field">
                <label for="classify-department">{t("tickets.staff.department")}</label>
                <select id="classify-department" name="department">
                  {departments.map((d) => (
                    <option value={d.code} selected={d.id === ticket.departmentId}>
                      {locale === "fa" ? d.nameFa : d.nameEn}
                    </option>
                  ))}
                </select>
              </div>
              <button type="submit" class="button button-small">{t("tickets.staff.change")}</button>
            </form>
          </section>
          <section class="card stack">
            <h2>{t("tickets.staff.tags")}</h2>
            <form method="post" action={`${base}/tags`} class="stack">
              <div class="field">
                <label for="ticket-tags" class="visually-hidden">{t("tickets.staff.tags")}</label>
                <input
                  id="ticket-tags"
                  name="tags"
                  value={ticket.tags.join(", ")}
                  maxLength={700}
                  dir="auto"
                />
                <p class="hint">{t("tickets.staff.tagsHint")}</p>
              </div>
              <button type="submit" class="button button-small">{t("tickets.staff.save")}</button>
            </form>
          </section>
          <section class="card stack">
            <h2>{t("tickets.staff.merge.title")}</h2>
            <form method="post" action={`${base}/merge`} class="stack merge-form">
              <div class="field">
                <label for="merge-into">{t("tickets.staff.merge.into")}</label>
                <input
                  id="merge-into"
                  name="into"
                  required
                  maxLength={30}
                  dir="ltr"
                  placeholder="TK-100001"
                />
                <p class="hint">{t("tickets.staff.merge.hint")}</p>
              </div>
              <button type="submit" class="button button-small button-danger">
                {t("tickets.staff.merge.submit")}
              </button>
            </form>
          </section>
          {props.customerWalletHref && (
            <p class="card customer-wallet-link">
              <a href={props.customerWalletHref}>{t("admin.customerWallet.link")}</a>
            </p>
          )}
          {(related.wallet || related.payments) && (
            <section class="card stack related-records">
              <h2>{t("tickets.staff.related.title")}</h2>
              {related.wallet && (
                <p data-related="wallet">
                  {t("tickets.staff.related.balance")}:{" "}
                  <bdi>{formatToman(related.wallet.balance, locale)}</bdi>
                </p>
              )}
              {related.payments && (
                related.payments.length === 0
                  ? <p class="hint">{t("tickets.staff.related.noPayments")}</p>
                  : (
                    <ul class="related-payments" data-related="payments">
                      {related.payments.map((p) => (
                        <li>
                          <a href={`/admin/payments/${p.id}`}>#{formatNumber(BigInt(p.id), locale)}</a>{" "}
                          <bdi>{formatToman(p.amount, locale)}</bdi>{" "}
                          <span class="badge badge-muted">{p.status}</span>
                        </li>
                      ))}
                    </ul>
                  )
              )}
            </section>
          )}
        </aside>
      </div>
    </div>
  );
}
