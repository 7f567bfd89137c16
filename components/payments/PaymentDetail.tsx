// routes/admin/payments/_detail.tsx — the parts of the staff payment page: facts, actions, refunds, events
import type { Locale } from "../../lib/i18n/mod.ts";
import { formatDate, formatRial, formatToman } from "../../lib/i18n/format.ts";
import type { PaymentEvent, Refund, StaffPayment } from "../../lib/payments/queries.ts";
import { failureText, StatusBadge, type Translate } from "./parts.tsx";

interface Props {
  t: Translate;
  locale: Locale;
}

export function PaymentFacts({ t, locale, payment: p }: Props & { payment: StaffPayment }) {
  const when = (d: Date | null) => d ? formatDate(d, locale, { time: true }) : "—";
  return (
    <section class="card" aria-labelledby="facts-title">
      <h2 id="facts-title">{t("admin.payments.facts")}</h2>
      <dl class="facts">
        <dt>{t("payments.field.status")}</dt>
        <dd>
          <StatusBadge t={t} payment={p} />
        </dd>
        {p.needsReview && (
          <>
            <dt>{t("admin.payments.reviewReason")}</dt>
            <dd class="alert alert-warning">{p.reviewReason}</dd>
          </>
        )}
        <dt>{t("admin.payments.payer")}</dt>
        <dd class="ltr-inline">
          {p.userId ? <a href={`/admin/users/${p.userId}`}>{p.email ?? p.userId}</a> : "—"}
        </dd>
        <dt>{t("payments.field.amount")}</dt>
        <dd>
          {formatToman(p.amount, locale)} <span class="muted small">({formatRial(p.amount, locale)})</span>
        </dd>
        <dt>{t("admin.payments.authority")}</dt>
        <dd class="ltr-inline">{p.authority ?? "—"}</dd>
        <dt>{t("payments.field.reference")}</dt>
        <dd class="ltr-inline">{p.refId ?? "—"}</dd>
        <dt>{t("payments.field.card")}</dt>
        <dd class="ltr-inline">{p.cardPan ?? "—"}</dd>
        <dt>{t("payments.field.fee")}</dt>
        <dd>
          {p.fee === null || !p.verifiedAt ? "—" : `${formatToman(p.fee, locale)} (${p.feeType ?? "?"})`}
        </dd>
        {p.status === "failed" && (
          <>
            <dt>{t("admin.payments.failure")}</dt>
            <dd>
              {failureText(t, p)} <span class="muted small ltr-inline">{p.failureMessage}</span>
            </dd>
          </>
        )}
        <dt>{t("admin.payments.ledgerTransaction")}</dt>
        <dd class="ltr-inline">{p.ledgerTransactionId ?? "—"}</dd>
        <dt>{t("payments.field.date")}</dt>
        <dd>{when(p.createdAt)}</dd>
        <dt>{t("admin.payments.expires")}</dt>
        <dd>{when(p.expiresAt)}</dd>
        <dt>{t("admin.payments.verifiedAt")}</dt>
        <dd>{when(p.verifiedAt)}</dd>
        <dt>{t("admin.payments.closedAt")}</dt>
        <dd>{when(p.closedAt ?? p.refundedAt)}</dd>
      </dl>
    </section>
  );
}

export function PaymentActions(
  { t, locale, payment: p, canRefund, windowSeconds }: Props & {
    payment: StaffPayment;
    canRefund: boolean;
    windowSeconds: number;
  },
) {
  const windowOpen = !!p.verifiedAt && Date.now() - p.verifiedAt.getTime() < windowSeconds * 1000;
  if (p.status !== "pending" && !(p.status === "verified" && canRefund)) return null;
  return (
    <section class="user-actions">
      {p.status === "pending" && (
        <form method="post" action={`/admin/payments/${p.id}/verify`} class="card">
          <h2>{t("admin.payments.reverify.title")}</h2>
          <p class="hint">{t("admin.payments.reverify.body")}</p>
          <button type="submit">{t("admin.payments.reverify.submit")}</button>
        </form>
      )}
      {p.status === "verified" && canRefund && (
        <form method="post" action={`/admin/payments/${p.id}/refund`} class="card">
          <h2>{t("admin.payments.refund.title")}</h2>
          <p class="hint">
            {t(windowOpen ? "admin.payments.refund.body" : "payments.error.refund_window_closed")}
          </p>
          <div class="field">
            <label for="refund-reason">{t("admin.payments.refund.reason")}</label>
            <textarea id="refund-reason" name="reason" required minLength={3} maxLength={500} rows={2}>
            </textarea>
          </div>
          <button type="submit" class="button-danger" disabled={!windowOpen}>
            {t("admin.payments.refund.submit", { amount: formatToman(p.amount, locale) })}
          </button>
        </form>
      )}
    </section>
  );
}

export function PaymentRefunds({ t, locale, refunds }: Props & { refunds: Refund[] }) {
  if (refunds.length === 0) return null;
  return (
    <section aria-labelledby="refunds-title">
      <h2 id="refunds-title">{t("admin.payments.refunds")}</h2>
      <div class="table-wrap">
        <table class="table">
          <thead>
            <tr>
              <th scope="col">{t("payments.field.date")}</th>
              <th scope="col">{t("payments.field.status")}</th>
              <th scope="col" class="num">{t("payments.field.amount")}</th>
              <th scope="col">{t("admin.payments.refund.reason")}</th>
            </tr>
          </thead>
          <tbody>
            {refunds.map((r) => (
              <tr>
                <td class="nowrap">{formatDate(r.createdAt, locale, { time: true })}</td>
                <td>
                  {t(`admin.payments.refundStatus.${r.status}`)}
                  {r.failureCode !== null && (
                    <span class="block small muted">
                      {failureText(t, { failureReason: null, failureCode: r.failureCode })}
                    </span>
                  )}
                </td>
                <td class="num">{formatToman(r.amount, locale)}</td>
                <td>{r.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

const json = (value: unknown) => value === null || value === undefined ? "" : JSON.stringify(value, null, 1);

export function PaymentEvents({ t, locale, events }: Props & { events: PaymentEvent[] }) {
  return (
    <section aria-labelledby="events-title">
      <h2 id="events-title">{t("admin.payments.events")}</h2>
      {events.length === 0
        ? <p class="alert alert-info">{t("admin.payments.noEvents")}</p>
        : (
          <div class="table-wrap">
            <table class="table audit-table exchange">
              <thead>
                <tr>
                  <th scope="col">{t("admin.audit.when")}</th>
                  <th scope="col">{t("admin.payments.exchange")}</th>
                  <th scope="col">{t("admin.payments.sent")}</th>
                  <th scope="col">{t("admin.payments.received")}</th>
                </tr>
              </thead>
              <tbody>
                {events.map((e) => (
                  <tr data-event-kind={e.kind}>
                    <td class="nowrap">{formatDate(e.createdAt, locale, { time: true })}</td>
                    <td class="call">
                      {e.kind} #{e.attempt}
                      <span class="block small muted">
                        {e.responseStatus ?? "—"} · {e.durationMs ?? 0} ms
                      </span>
                    </td>
                    <td>
                      <pre class="small">{json(e.request)}</pre>
                    </td>
                    <td>
                      <pre class="small">{e.error ?? json(e.responseBody)}</pre>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
    </section>
  );
}
