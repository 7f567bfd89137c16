// routes/admin/index.tsx — GET /admin (staff dashboard: links to the tools the viewer's permissions open)
import { Hono } from "hono";
import type { AppEnv } from "../../lib/http/env.ts";
import { renderPage } from "../../components/render.tsx";
import { can } from "../../lib/auth/viewer.ts";
import { ADMIN_TOOLS, AdminHomePage } from "../../components/admin/AdminHomePage.tsx";

export const adminHome = new Hono<AppEnv>().get("/", (c) => {
  const tools = ADMIN_TOOLS.filter((tool) => tool.permissions.every((p) => can(c.var.viewer, p)));
  return renderPage(c, <AdminHomePage t={c.var.t} role={c.var.viewer!.role} tools={tools} />, {
    title: c.var.t("admin.title"),
  });
});
