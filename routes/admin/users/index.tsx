// routes/admin/users/index.tsx — GET /admin/users (staff user list: search, keyset pagination)
import { Hono } from "hono";
import { z } from "zod";
import { text } from "../../../lib/http/schemas.ts";
import type { AppEnv } from "../../../lib/http/env.ts";
import { renderPage } from "../../../components/render.tsx";
import { validate } from "../../../lib/http/validate.ts";
import { requirePermission } from "../../../lib/auth/guards.ts";
import { listUsers } from "../../../lib/users/admin.ts";
import { UsersPage } from "../../../components/users/UsersPage.tsx";

const query = z.object({
  q: text().trim().max(120).optional(),
  after: text().max(300).optional(),
});

export const adminUsers = new Hono<AppEnv>().get(
  "/",
  requirePermission("users.view"),
  validate("query", query),
  async (c) => {
    const { q, after } = c.req.valid("query");
    const page = await c.var.asUser((tx) => listUsers(tx, { search: q, cursor: after }));
    return renderPage(
      c,
      <UsersPage t={c.var.t} locale={c.var.locale} q={q} after={after} page={page} />,
      { title: c.var.t("admin.users.title") },
    );
  },
);
