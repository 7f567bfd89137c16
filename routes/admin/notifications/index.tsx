// routes/admin/notifications/index.tsx — notifications.manage: GET /admin/notifications (success rates per channel),
// GET /admin/notifications/log (delivery log with filters), GET …/log/:id (one message, every attempt),
// POST …/log/:id/requeue, GET /admin/notifications/dead (dead letters) and POST …/dead/requeue (bulk). Audited.
import { Hono } from "hono";
import { z } from "zod";
import { requirePermission } from "../../../lib/auth/guards.ts";
import { requestContext } from "../../../lib/auth/request_context.ts";
import { requestErrors } from "../../../lib/errors.ts";
import type { AppContext, AppEnv } from "../../../lib/http/env.ts";
import { optionalField } from "../../../lib/http/form_fields.ts";
import { int8Id, text } from "../../../lib/http/schemas.ts";
import { validate } from "../../../lib/http/validate.ts";
import { readDayFilters, typedDay } from "../../../lib/i18n/day_range.ts";
import { requeueAudited } from "../../../lib/notifications/manage.ts";
import {
  channelRates,
  deliveryLog,
  type LogFilter,
  messageHistory,
  OUTBOX_CHANNELS,
  OUTBOX_STATUSES,
  PROVIDERS,
} from "../../../lib/notifications/staff.ts";
import { renderPage } from "../../../components/render.tsx";
import { NotificationsAdminPage } from "../../../components/notifications/staff/NotificationsAdminPage.tsx";
import { DeliveryLogPage } from "../../../components/notifications/staff/DeliveryLogPage.tsx";
import { MessagePage } from "../../../components/notifications/staff/MessagePage.tsx";

const logQuery = z.object({
  channel: optionalField(z.enum(OUTBOX_CHANNELS)),
  status: optionalField(z.enum(OUTBOX_STATUSES)),
  provider: optionalField(z.enum(PROVIDERS)),
  recipient: optionalField(text().trim().max(320)),
  // Read by readDayRange: a bad day is an inline error on the page (400), as on the other staff lists.
  from: typedDay,
  to: typedDay,
  cursor: optionalField(text().max(200)),
  requeued: optionalField(z.coerce.number().int().min(0).max(500)),
});
const idParam = z.object({ id: int8Id });
const bulkForm = z.object({ ids: z.union([int8Id, z.array(int8Id).min(1).max(500)]) });

async function logPage(c: AppContext, mode: "log" | "dead") {
  const { requeued, ...typed } = c.req.valid("query" as never) as z.infer<typeof logQuery>;
  const { filters: filter, days, status } = readDayFilters(typed);
  const applied: LogFilter = mode === "dead" ? { ...filter, status: "dead" } : filter;
  const page = await c.var.asUser((tx) => deliveryLog(tx, applied));
  const { t, locale } = c.var;
  return renderPage(
    c,
    <DeliveryLogPage
      t={t}
      locale={locale}
      mode={mode}
      rows={page.items}
      filter={mode === "dead" ? filter : applied}
      next={page.nextCursor}
      requeued={requeued}
      days={days}
    />,
    {
      title: t(mode === "dead" ? "admin.notifications.dead" : "admin.notifications.log"),
      status,
    },
  );
}

export const adminNotifications = new Hono<AppEnv>()
  .use("/", requirePermission("notifications.manage"))
  .use("/*", requirePermission("notifications.manage"))
  .get("/", async (c) => {
    const since = new Date(Date.now() - 24 * 3600_000);
    const rates = await c.var.asUser((tx) => channelRates(tx, since));
    return renderPage(c, <NotificationsAdminPage t={c.var.t} locale={c.var.locale} rates={rates} />, {
      title: c.var.t("admin.notifications.title"),
    });
  })
  .get("/log", validate("query", logQuery), (c) => logPage(c, "log"))
  .get("/dead", validate("query", logQuery), (c) => logPage(c, "dead"))
  .get("/log/:id", validate("param", idParam), async (c) => {
    const found = await c.var.asUser((tx) => messageHistory(tx, c.req.valid("param").id));
    if (!found) throw requestErrors.refuse("not_found");
    return renderPage(c, <MessagePage t={c.var.t} locale={c.var.locale} {...found} />, {
      title: c.var.t("admin.notifications.message", { id: String(found.message.id) }),
    });
  })
  .post("/log/:id/requeue", validate("param", idParam), async (c) => {
    const { id } = c.req.valid("param");
    await requeueAudited(c.var.user(), [id], requestContext(c));
    return c.redirect(`/admin/notifications/log/${id}`, 303);
  })
  .post("/dead/requeue", validate("form", bulkForm), async (c) => {
    const { ids } = c.req.valid("form");
    const count = await requeueAudited(c.var.user(), Array.isArray(ids) ? ids : [ids], requestContext(c));
    return c.redirect(`/admin/notifications/dead?requeued=${count}`, 303);
  });
