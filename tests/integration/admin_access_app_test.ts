import { assert, assertEquals, assertMatch, assertStringIncludes } from "@std/assert";
import { sql } from "kysely";
import { db } from "../_support/db.ts";
import type { Stack } from "../../local/stack.ts";
import { Client, createAccount, signIn, startAuthStack } from "./auth_http_client.ts";

async function withStack(fn: (stack: Stack) => Promise<void>) {
  const stack = await startAuthStack();
  try {
    await fn(stack);
  } finally {
    await stack.stop();
  }
}

/** An account with `role`, signed in (the role reaches the JWT through the access token hook). */
async function staff(stack: Stack, role: "user" | "agent" | "finance" | "auditor" | "admin") {
  const account = await createAccount(stack, role);
  await sql`delete from public.user_roles where user_id = ${account.id}`.execute(db());
  await sql`insert into public.user_roles (user_id, role) values (${account.id}, ${role}::public.app_role)`
    .execute(db());
  const client = new Client(stack.appUrl, { "accept-language": "en" });
  await signIn(client, account);
  return { ...account, client };
}

Deno.test("[admin] access — a user gets a 403 page or JSON, never a blank page; anonymous is sent to sign in", async () => {
  await withStack(async (stack) => {
    const { client } = await staff(stack, "user");
    const page = await client.get("/admin");
    assertEquals(page.status, 403);
    const html = await page.text();
    assertStringIncludes(html, "You do not have permission to open this page.");
    assertMatch(html, /<main id="main"/);
    const api = await client.get("/admin/users", { accept: "application/json" });
    assertEquals(api.status, 403);
    assertEquals((await api.json()).error.code, "forbidden");
    assertStringIncludes(await (await client.get("/profile")).text(), 'href="/profile"');
    assert(
      !(await (await client.get("/profile")).text()).includes('href="/admin"'),
      "no admin link for users",
    );
    const anon = await new Client(stack.appUrl).get("/admin/audit");
    assertEquals(anon.status, 303);
    assertEquals(anon.headers.get("location"), "/signin?next=%2Fadmin%2Faudit");
  });
});

Deno.test("[admin] access — per-page permissions: agents see users but not the audit log; admins see both", async () => {
  await withStack(async (stack) => {
    const agent = await staff(stack, "agent");
    assertEquals((await agent.client.get("/admin")).status, 200);
    assertEquals((await agent.client.get("/admin/users")).status, 200);
    assertEquals((await agent.client.get("/admin/audit")).status, 403);
    const auditor = await staff(stack, "auditor");
    assertEquals((await auditor.client.get("/admin/audit")).status, 200);
    const admin = await staff(stack, "admin");
    const home = await (await admin.client.get("/admin")).text();
    assertStringIncludes(home, 'href="/admin/users"');
    assertStringIncludes(home, 'href="/admin/audit"');
    assertStringIncludes(home, 'href="/admin"');
  });
});

Deno.test("[admin] users — search, open a user, change the role and ban; each action lands in the audit log", async () => {
  await withStack(async (stack) => {
    const admin = await staff(stack, "admin");
    const target = await staff(stack, "user");
    const list = await (await admin.client.get(`/admin/users?q=${encodeURIComponent(target.email)}`)).text();
    assertStringIncludes(list, `href="/admin/users/${target.id}"`);
    const detail = await admin.client.get(`/admin/users/${target.id}`);
    assertEquals(detail.status, 200);
    assertStringIncludes(await detail.text(), `action="/admin/users/${target.id}/role"`);

    const role = await admin.client.post(`/admin/users/${target.id}/role`, { role: "agent" });
    assertEquals(role.status, 303);
    assertEquals(role.headers.get("location"), `/admin/users/${target.id}?notice=role_changed`);

    const ban = await admin.client.post(`/admin/users/${target.id}/ban`, { duration: "7d" });
    assertEquals(ban.headers.get("location"), `/admin/users/${target.id}?notice=banned`);
    const refused = await new Client(stack.appUrl, { "accept-language": "en" })
      .post("/signin", { email: target.email, password: target.password });
    assertEquals(refused.status, 403);
    assertStringIncludes(await refused.text(), "This account is suspended.");
    const banned = await (await admin.client.get(`/admin/users/${target.id}`)).text();
    assertStringIncludes(banned, "Suspended until");

    const unban = await admin.client.post(`/admin/users/${target.id}/ban`, { duration: "none" });
    assertEquals(unban.headers.get("location"), `/admin/users/${target.id}?notice=unbanned`);
    await signIn(new Client(stack.appUrl), target);

    const { rows } = await sql<
      { action: string; actor_id: string; ip: string | null; request_id: string | null }
    >`
      select action, actor_id, host(ip) as ip, request_id from public.audit_log
      where target_id = ${target.id} and action like 'users.%' order by id`.execute(db());
    assertEquals(rows.map((r) => r.action), ["users.role_change", "users.ban", "users.unban"]);
    assert(
      rows.every((r) => r.actor_id === admin.id && r.ip === "127.0.0.1" && r.request_id),
      JSON.stringify(rows),
    );
    const audit = await (await admin.client.get(`/admin/audit?target=${target.id}&action=users.ban`)).text();
    assertStringIncludes(audit, "Suspension");
    assertStringIncludes(audit, admin.email.toLowerCase());

    // The day filters take Persian-calendar days too (what the fa form sends), and English ones.
    const today = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Tehran" }).format(new Date());
    const persianToday = new Intl.DateTimeFormat("fa-IR-u-ca-persian", {
      timeZone: "Asia/Tehran",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
    }).format(new Date(`${today}T12:00:00+03:30`));
    const since = `/admin/audit?target=${target.id}&action=users.ban&from=`;
    const banRows = async (from: string) =>
      (await (await admin.client.get(since + encodeURIComponent(from))).text()).split(
        /<td[^>]*>Suspension<\/td>/,
      )
        .length - 1;
    assertEquals(await banRows(persianToday), 1);
    assertEquals(await banRows(today), 1);
    assertEquals(await banRows("۱۴۹۹/۰۱/۰۱"), 0);
    const bad = await admin.client.get(since + encodeURIComponent("۱۴۰۵/۱۳/۰۱"));
    assertEquals(bad.status, 400);
    await bad.body?.cancel();
  });
});

Deno.test("[admin] users — staff cannot change their own role or ban themselves; agents cannot manage at all", async () => {
  await withStack(async (stack) => {
    const admin = await staff(stack, "admin");
    const self = await admin.client.post(`/admin/users/${admin.id}/role`, { role: "user" });
    assertEquals(self.status, 403);
    await self.body?.cancel();
    const selfBan = await admin.client.post(`/admin/users/${admin.id}/ban`, { duration: "24h" }, {
      accept: "application/json",
    });
    assertEquals((await selfBan.json()).error.code, "self_management");
    const agent = await staff(stack, "agent");
    const target = await createAccount(stack, "victim");
    const denied = await agent.client.post(`/admin/users/${target.id}/role`, { role: "admin" }, {
      accept: "application/json",
    });
    assertEquals(denied.status, 403);
    assertEquals((await denied.json()).error.code, "forbidden");
    const bad = await admin.client.get("/admin/users/not-a-uuid", { accept: "application/json" });
    assertEquals(bad.status, 400);
    await bad.body?.cancel();
  });
});

Deno.test("[admin] revoked — an admin signed out elsewhere is turned away at once, not at token expiry", async () => {
  await withStack(async (stack) => {
    const admin = await staff(stack, "admin");
    const other = new Client(stack.appUrl);
    await signIn(other, admin);
    await (await other.post("/auth/signout", { scope: "global" })).body?.cancel();
    const res = await admin.client.get("/admin/users");
    assertEquals(res.status, 303);
    assertEquals(res.headers.get("location"), "/signin?next=%2Fadmin%2Fusers&reason=expired");
  });
});
