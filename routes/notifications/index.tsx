// routes/notifications/index.tsx — GET /notifications (the notification center, keyset pages),
// GET /notifications/:id (marks it read and follows its link), POST /notifications/:id/read and
// POST /notifications/read-all (303 back). Another user's id matches nothing (RLS), so it is a 404.
import { z } from "zod";
import { userRoutes } from "../../lib/auth/guards.ts";
import { requestErrors } from "../../lib/errors.ts";
import { int8Id, text } from "../../lib/http/schemas.ts";
import { validate } from "../../lib/http/validate.ts";
import { listNotifications, markRead, safeLink, visibleNotification } from "../../lib/notifications/inbox.ts";
import { renderPage } from "../../components/render.tsx";
import { NotificationsPage } from "../../components/notifications/NotificationsPage.tsx";

const query = z.object({
  cursor: text().max(200).optional(),
  notice: z.enum(["marked"]).optional().catch(undefined),
});
const idParam = z.object({ id: int8Id });
const backForm = z.object({
  back: z.string().max(300).regex(/^\/notifications(\?cursor=[\w%-]+)?$/).optional().catch(undefined),
});

export const notificationCenter = userRoutes()
  .get("/", validate("query", query), async (c) => {
    const { cursor, notice } = c.req.valid("query");
    const me = c.var.user().sub;
    const page = await c.var.asUser((tx) => listNotifications(tx, me, { cursor }));
    const { t, locale } = c.var;
    return renderPage(
      c,
      <NotificationsPage
        t={t}
        locale={locale}
        items={page.items}
        unreadCount={page.unreadCount}
        cursor={cursor}
        next={page.nextCursor}
        notice={notice}
      />,
      { title: t("notifications.title") },
    );
  })
  .post("/read-all", async (c) => {
    const me = c.var.user().sub;
    await c.var.asUser((tx) => markRead(tx, me, { all: true }));
    return c.redirect("/notifications?notice=marked", 303);
  })
  .get("/:id", validate("param", idParam), async (c) => {
    const { id } = c.req.valid("param");
    const me = c.var.user().sub;
    const link = await c.var.asUser(async (tx) => {
      const found = await visibleNotification(tx, id);
      if (!found) throw requestErrors.refuse("not_found");
      await markRead(tx, me, { ids: [id] });
      return safeLink(found.link);
    });
    return c.redirect(link ?? "/notifications", 303);
  })
  .post("/:id/read", validate("param", idParam), validate("form", backForm), async (c) => {
    const { id } = c.req.valid("param");
    const me = c.var.user().sub;
    await c.var.asUser((tx) => markRead(tx, me, { ids: [id] }));
    const back = c.req.valid("form").back ?? "/notifications";
    return c.redirect(`${back}${back.includes("?") ? "&" : "?"}notice=marked`, 303);
  });
