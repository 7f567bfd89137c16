import { assert, assertEquals, assertRejects } from "@std/assert";
import { sql } from "kysely";
import { anonClaims, asUser, createUser, db } from "../_support/db.ts";
import { getUserDetail, listUsers, setUserRole } from "../../lib/users/admin.ts";
import { changeRole } from "../../lib/users/manage.ts";
import type { UserClaims } from "../../lib/auth/tokens.ts";

const context = { ip: "203.0.113.9", userAgent: "rls-test", requestId: "req-rls" };
const claimsOf = (u: { claims: Record<string, unknown> }) => ({ ...u.claims, exp: 0 }) as UserClaims;
const roleOf = async (id: string) =>
  (await sql<{ role: string }>`select private.primary_role(${id}::uuid)::text as role`.execute(db())).rows[0]
    .role;

Deno.test("[users] owner — a user cannot raise their own role by any route", async () => {
  const mallory = await createUser("mallory");
  const c = mallory.claims;
  await assertRejects(
    () =>
      asUser(
        c,
        (tx) =>
          sql`insert into public.user_roles (user_id, role) values (${mallory.id}, 'admin')`.execute(tx),
      ),
    "permission denied",
  );
  await assertRejects(
    () =>
      asUser(
        c,
        (tx) => sql`update public.user_roles set role = 'admin' where user_id = ${mallory.id}`.execute(tx),
      ),
    "permission denied",
  );
  await assertRejects(() => asUser(c, (tx) => setUserRole(tx, mallory.id, "admin", context)), "users.manage");
  // A forged claim is not enough either: the function refuses one's own account even for admins.
  await assertRejects(
    () => asUser({ ...c, user_role: "admin" }, (tx) => setUserRole(tx, mallory.id, "admin", context)),
    "own role",
  );
  assertEquals(await roleOf(mallory.id), "user");
});

Deno.test("[users] staff — an admin changes another user's role, audited in the same transaction", async () => {
  const [admin, bob] = [await createUser("role-admin", { role: "admin" }), await createUser("bob")];
  await changeRole(claimsOf(admin), bob.id, "agent", context);
  assertEquals(await roleOf(bob.id), "agent");
  const { rows } = await sql<{ actor_id: string; metadata: unknown; request_id: string }>`
    select actor_id, metadata, request_id from public.audit_log
    where action = 'users.role_change' and target_id = ${bob.id}`.execute(db());
  assertEquals(rows, [{
    actor_id: admin.id,
    metadata: { from: "user", to: "agent" },
    request_id: "req-rls",
  }]);
});

Deno.test("[users] staff — agents, finance and auditors cannot change roles; admins cannot change their own", async () => {
  const target = await createUser("target");
  for (const role of ["agent", "finance"] as const) {
    const staff = await createUser(`role-${role}`, { role });
    await assertRejects(() => changeRole(claimsOf(staff), target.id, "admin", context), "users.manage");
  }
  const auditor = claimsOf(await createUser("role-auditor"));
  await assertRejects(
    () => changeRole({ ...auditor, user_role: "auditor" }, target.id, "admin", context),
    "users.manage",
  );
  const admin = await createUser("self-admin", { role: "admin" });
  await assertRejects(() => changeRole(claimsOf(admin), admin.id, "user", context), "own role");
  assertEquals(await roleOf(target.id), "user");
});

Deno.test("[users] list — staff with users.view search and page through users; users and anon cannot", async () => {
  const tag = crypto.randomUUID().slice(0, 8);
  const made = [];
  for (let i = 0; i < 5; i++) made.push(await createUser(`listed-${tag}-${i}`));
  const agent = await createUser("lister-agent", { role: "agent" });
  const seen: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await asUser(
      agent.claims,
      (tx) => listUsers(tx, { search: `listed-${tag}`, cursor, pageSize: 2 }),
    );
    seen.push(...page.users.map((u) => u.id));
    cursor = page.next;
  } while (cursor);
  assertEquals(seen, made.map((u) => u.id).reverse());
  const byName = await asUser(agent.claims, (tx) => listUsers(tx, { search: `LISTED-${tag}-3` }));
  assertEquals(byName.users.map((u) => u.email), [made[3].email]);
  const wildcard = await asUser(agent.claims, (tx) => listUsers(tx, { search: "%" }));
  assert(wildcard.users.every((u) => u.email.includes("%")), "% is matched literally");
  const plain = await createUser("lister-user");
  await assertRejects(() => asUser(plain.claims, (tx) => listUsers(tx)), "users.view");
  await assertRejects(() => asUser(anonClaims, (tx) => listUsers(tx)), "permission denied");
});

Deno.test("[users] detail — staff see a user's account and profile; a user sees only their own profile", async () => {
  const [carol, dave] = [await createUser("carol"), await createUser("dave")];
  const finance = await createUser("detail-finance", { role: "finance" });
  await sql`update public.profiles set full_name = 'Carol C.' where id = ${carol.id}`.execute(db());
  const detail = await asUser(finance.claims, (tx) => getUserDetail(tx, carol.id));
  assertEquals([detail?.email, detail?.full_name, detail?.role], [carol.email, "Carol C.", "user"]);
  const profiles = await asUser(
    finance.claims,
    (tx) => tx.selectFrom("profiles").select("id").where("id", "in", [carol.id, dave.id]).execute(),
  );
  assertEquals(profiles.length, 2);
  await assertRejects(() => asUser(dave.claims, (tx) => getUserDetail(tx, carol.id)), "users.view");
  const own = await asUser(
    dave.claims,
    (tx) => tx.selectFrom("profiles").select("id").where("id", "in", [carol.id, dave.id]).execute(),
  );
  assertEquals(own.map((p) => p.id), [dave.id]);
});
