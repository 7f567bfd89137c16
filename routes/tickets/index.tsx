// routes/tickets/index.tsx — GET /tickets (my tickets: status filter, search, keyset pages)
import { z } from "zod";
import { text } from "../../lib/http/schemas.ts";
import { renderPage } from "../../components/render.tsx";
import { validate } from "../../lib/http/validate.ts";
import { userRoutes } from "../../lib/auth/guards.ts";
import { listCustomerTickets, listDepartments, TICKET_STATUSES } from "../../lib/tickets/store.ts";
import { TicketsPage } from "../../components/tickets/TicketsPage.tsx";

const blankIsMissing = (v: unknown) => v === "" ? undefined : v;
const query = z.object({
  status: z.preprocess(blankIsMissing, z.enum(TICKET_STATUSES).optional()),
  q: z.preprocess(blankIsMissing, text().trim().max(200).optional()),
  cursor: text().max(200).optional(),
});

export const ticketList = userRoutes().get("/", validate("query", query), async (c) => {
  const { status, q, cursor } = c.req.valid("query");
  // Started together, the reads travel to Postgres together (lib/db/client.ts).
  const [page, departments] = await c.var.asUser((tx) =>
    Promise.all([listCustomerTickets(tx, c.var.user().sub, { status, q, cursor }), listDepartments(tx)])
  );
  const { t, locale } = c.var;
  return renderPage(
    c,
    <TicketsPage
      t={t}
      locale={locale}
      tickets={page.items}
      departments={departments}
      status={status}
      q={q}
      cursor={cursor}
      next={page.nextCursor}
    />,
    { title: t("tickets.list.title") },
  );
});
