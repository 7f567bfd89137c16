// routes/tickets/new.tsx — GET /tickets/new (the form), POST (opens the ticket, then uploads its files as the
// user and records them; answers 303 to the ticket)
import { z } from "zod";
import { isInt8Id, text } from "../../lib/http/schemas.ts";
import { renderPage } from "../../components/render.tsx";
import { userRoutes } from "../../lib/auth/guards.ts";
import { formValidator } from "../../lib/http/form_validator.ts";
import type { FieldErrors } from "../../lib/http/form_errors.ts";
import type { AppContext } from "../../lib/http/env.ts";
import type { MessageKey } from "../../lib/i18n/mod.ts";
import { listMyPayments } from "../../lib/payments/queries.ts";
import { listWithdrawals } from "../../lib/wallet/withdrawals.ts";
import { ticketErrors } from "../../lib/tickets/errors.ts";
import { attachFiles, checkFiles } from "../../lib/tickets/attachments.ts";
import { listDepartments, openTicket, TICKET_PRIORITIES } from "../../lib/tickets/store.ts";
import { type LinkChoice, NewTicketPage } from "../../components/tickets/NewTicketPage.tsx";
import { accessToken, filesBodyLimit, formFiles, isForm } from "./_parts.ts";
import { refusalText } from "../../lib/http/answers.ts";

const form = z.object({
  department: z.string().regex(/^[a-z][a-z_]{1,31}$/, "form.error.invalid"),
  priority: z.enum(TICKET_PRIORITIES, "form.error.invalid"),
  subject: text("tickets.error.subject").trim().min(1, "tickets.error.subject").max(
    200,
    "tickets.error.subject",
  ),
  body: text("tickets.error.body").trim().min(1, "tickets.error.body").max(20000, "tickets.error.body"),
  // "payment:<id>" or "withdrawal:<id>", the id within int8 (a larger one would be a database error).
  link: z.string().refine(
    (v) => v === "" || /^(payment|withdrawal):/.test(v) && isInt8Id(v.slice(v.indexOf(":") + 1)),
    "form.error.invalid",
  ).optional(),
});

interface State {
  values?: Record<string, string>;
  errors?: FieldErrors;
  problem?: string;
}

/** The form, with the customer's recent payments and withdrawals to link. */
async function page(c: AppContext, state: State = {}, status: 200 | 400 | 413 | 415 | 422 = 200) {
  const userId = c.var.user().sub;
  const [departments, payments, withdrawals] = await c.var.asUser(async (tx) =>
    [
      await listDepartments(tx),
      await listMyPayments(tx, {}),
      await listWithdrawals(tx, { userId, limit: 20 }),
    ] as const
  );
  const links: LinkChoice[] = [
    ...payments.items.map((p) => ({
      value: `payment:${p.id}`,
      kind: "payment" as const,
      amount: p.amount,
      createdAt: p.createdAt,
    })),
    ...withdrawals.withdrawals.map((w) => ({
      value: `withdrawal:${w.id}`,
      kind: "withdrawal" as const,
      amount: w.amount,
      createdAt: w.createdAt,
    })),
  ];
  const { t, locale } = c.var;
  return renderPage(
    c,
    <NewTicketPage t={t} locale={locale} departments={departments} links={links} {...state} />,
    { title: t("tickets.new.title"), status },
  );
}

const textValues = async (c: AppContext) => {
  const values: Record<string, string> = {};
  if (!isForm(c)) return values;
  for (const [key, value] of (await c.req.formData()).entries()) {
    if (typeof value === "string") values[key] = value.slice(0, 20000);
  }
  return values;
};

export const ticketNew = userRoutes()
  .get("/", (c) => page(c))
  .post(
    "/",
    filesBodyLimit,
    formValidator(
      form,
      (c, errors, values) => page(c, { values, errors, problem: c.var.t("form.errorSummary") }, 400),
    ),
    async (c) => {
      const input = c.req.valid("form");
      const files = await formFiles(c);
      try {
        await checkFiles(files);
      } catch (error) {
        if (!ticketErrors.is(error)) throw error;
        const values = await textValues(c);
        const errors = { files: error.messageKey as MessageKey };
        return await page(c, { values, errors, problem: refusalText(c, error) }, error.status as 413 | 415);
      }
      const [kind, id] = (input.link ?? "").split(":");
      let ticket;
      try {
        ticket = await c.var.asUser((tx) =>
          openTicket(tx, {
            subject: input.subject,
            body: input.body,
            department: input.department,
            priority: input.priority,
            paymentId: kind === "payment" ? id : null,
            withdrawalId: kind === "withdrawal" ? id : null,
            channel: "web",
          })
        );
      } catch (error) {
        if (
          !ticketErrors.is(error, "ticket_link_not_owned") &&
          !ticketErrors.is(error, "ticket_unknown_department")
        ) {
          throw error;
        }
        const field = error.code === "ticket_link_not_owned" ? "link" : "department";
        const errors = { [field]: error.messageKey as MessageKey };
        return await page(c, { values: await textValues(c), errors, problem: refusalText(c, error) }, 422);
      }
      if (files.length > 0) await attachFiles(await accessToken(c), c.var.asUser, ticket.id, null, files);
      return c.redirect(`/tickets/${ticket.id}?notice=opened`, 303);
    },
  );
