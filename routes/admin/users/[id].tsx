// routes/admin/users/[id].tsx — GET /admin/users/:id (a user's account), POST …/role and …/ban (users.manage)
import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../../../lib/http/env.ts";
import { renderPage } from "../../../components/render.tsx";
import { validate } from "../../../lib/http/validate.ts";
import { requirePermission } from "../../../lib/auth/guards.ts";
import { can } from "../../../lib/auth/viewer.ts";
import { requestContext } from "../../../lib/auth/request_context.ts";
import { BAN_DURATIONS, getUserDetail, ROLES } from "../../../lib/users/admin.ts";
import { changeRole, setBan } from "../../../lib/users/manage.ts";
import { recentEntriesFor } from "../../../lib/audit/query.ts";
import { UserPage } from "../../../components/users/UserPage.tsx";
import { userLinks } from "../../../components/users/UserLinks.tsx";
import { userErrors } from "../../../lib/users/errors.ts";

const params = z.object({ id: z.uuid() });
const NOTICES = ["role_changed", "banned", "unbanned"] as const;
const query = z.object({ notice: z.enum(NOTICES).optional() });
const roleForm = z.object({ role: z.enum(ROLES) });
const banForm = z.object({
  duration: z.enum([...Object.keys(BAN_DURATIONS) as (keyof typeof BAN_DURATIONS)[], "none"]),
});

export const adminUser = new Hono<AppEnv>()
  .get(
    "/:id",
    requirePermission("users.view"),
    validate("param", params),
    validate("query", query),
    async (c) => {
      const { id } = c.req.valid("param");
      const { notice } = c.req.valid("query");
      const showActivity = can(c.var.viewer, "audit.view");
      const [user, activity] = await c.var.asUser(async (tx) =>
        [await getUserDetail(tx, id), showActivity ? await recentEntriesFor(tx, id) : undefined] as const
      );
      if (!user) throw userErrors.refuse("user_not_found");
      const manage = can(c.var.viewer, "users.manage") ? { self: user.id === c.var.user().sub } : undefined;
      return renderPage(
        c,
        <UserPage
          t={c.var.t}
          locale={c.var.locale}
          {...{ user, notice, manage, activity, links: userLinks(c.var.viewer, user) }}
        />,
        { title: user.email },
      );
    },
  )
  .post(
    "/:id/role",
    requirePermission("users.manage"),
    validate("param", params),
    validate("form", roleForm),
    async (c) => {
      const { id } = c.req.valid("param");
      await changeRole(c.var.user(), id, c.req.valid("form").role, requestContext(c));
      return c.redirect(`/admin/users/${id}?notice=role_changed`, 303);
    },
  )
  .post(
    "/:id/ban",
    requirePermission("users.manage"),
    validate("param", params),
    validate("form", banForm),
    async (c) => {
      const { id } = c.req.valid("param");
      const { duration } = c.req.valid("form");
      await setBan(c.var.user(), id, duration, requestContext(c));
      return c.redirect(`/admin/users/${id}?notice=${duration === "none" ? "unbanned" : "banned"}`, 303);
    },
  );
