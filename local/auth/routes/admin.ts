/** /admin/users (list, create, get, update, delete) behind the admin-role check (admin.go, pagination.go). */
import type { Context, Hono } from "hono";
import { z } from "zod";
import { adminCreateUser, adminUpdateUser } from "../admin_users.ts";
import { listUsersPage, softDeleteUser } from "../admin_delete_list.ts";
import type { AuthEnv } from "../context.ts";
import { internal, notFound, validationFailed } from "../errors.ts";
import { readJson, requireAdmin } from "../guards.ts";
import { checkPasswordStrength } from "../passwords.ts";
import { findUserById } from "../users.ts";
import { loadUserJson } from "../user_json.ts";
import { optBool, optObject, optString } from "../validate.ts";

export const AdminUserBody = z.object({
  id: optString,
  aud: optString,
  role: optString,
  email: optString,
  phone: optString,
  password: z.string().nullish(),
  password_hash: optString,
  email_confirm: optBool,
  phone_confirm: optBool,
  user_metadata: optObject,
  app_metadata: optObject,
  ban_duration: optString,
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The Link header of addPaginationHeaders; auth-js reads the first digit after `page=` and the quoted rel. */
function paginationLink(query: Record<string, string>, page: number, perPage: number, count: number): string {
  const totalPages = Math.ceil(count / perPage);
  const url = (p: number) => {
    const params = { ...query, page: String(p) };
    const sorted = Object.keys(params).sort().map((k) => [k, params[k as keyof typeof params]]);
    return `</admin/users?${new URLSearchParams(sorted)}>`;
  };
  return (totalPages > page ? `${url(page + 1)}; rel="next", ` : "") + `${url(totalPages)}; rel="last"`;
}

function parsePage(value: string | undefined, fallback: number): number {
  if (!value) return fallback;
  if (!/^\d+$/.test(value)) {
    throw validationFailed(
      `Bad Pagination Parameters: strconv.ParseUint: parsing "${value}": invalid syntax`,
    );
  }
  return Number(value);
}

async function loadUser(c: Context<AuthEnv>) {
  const id = c.req.param("id") ?? "";
  if (!UUID.test(id)) throw notFound("validation_failed", "user_id must be an UUID");
  const user = await findUserById(c.get("emu").sql, id);
  if (!user) throw notFound("user_not_found", "User not found");
  return user;
}

export function adminRoutes(app: Hono<AuthEnv>) {
  app.get("/admin/users", requireAdmin, async (c) => {
    const page = Math.max(parsePage(c.req.query("page"), 1), 1);
    const perPage = Math.max(parsePage(c.req.query("per_page"), 50), 1);
    const { users, count } = await listUsersPage(
      c.get("emu").sql,
      page,
      perPage,
      c.req.query("filter") ?? "",
    );
    c.header("Link", paginationLink(c.req.query(), page, perPage, count));
    c.header("X-Total-Count", String(count));
    return c.json({ users, aud: "authenticated" });
  });

  app.post("/admin/users", requireAdmin, async (c) => {
    const emu = c.get("emu");
    const user = await adminCreateUser(emu, await readJson(c, AdminUserBody));
    return c.json(await loadUserJson(emu.sql, user.id));
  });

  app.get(
    "/admin/users/:id",
    requireAdmin,
    async (c) => c.json(await loadUserJson(c.get("emu").sql, (await loadUser(c)).id)),
  );

  app.put("/admin/users/:id", requireAdmin, async (c) => {
    const emu = c.get("emu");
    const user = await loadUser(c);
    const body = await readJson(c, AdminUserBody);
    if (typeof body.password === "string") checkPasswordStrength(emu.config, body.password);
    try {
      await emu.sql.begin((tx) => adminUpdateUser(tx, emu, user, body));
    } catch (error) {
      if ((error as { status?: number }).status === 400) throw error;
      throw internal(`Error updating user: ${(error as Error).message}`);
    }
    return c.json(await loadUserJson(emu.sql, user.id));
  });

  app.delete("/admin/users/:id", requireAdmin, async (c) => {
    const emu = c.get("emu");
    const user = await loadUser(c);
    const body = await readJson(c, z.object({ should_soft_delete: optBool }));
    if (body.should_soft_delete) {
      if (!user.deleted_at) await emu.sql.begin((tx) => softDeleteUser(tx, emu, user));
    } else {
      await emu.sql`delete from auth.users where id = ${user.id}`;
    }
    return c.json({});
  });

  app.get("/admin/users/:id/factors", requireAdmin, async (c) => {
    await loadUser(c);
    return c.json([]);
  });
}
