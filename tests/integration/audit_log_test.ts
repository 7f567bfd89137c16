import { assert, assertEquals, assertRejects } from "@std/assert";
import { sql } from "kysely";
import { anonClaims, asService, asUser, createUser, db } from "../_support/db.ts";
import { audit } from "../../lib/audit/record.ts";
import { listAuditEntries, recentEntriesFor } from "../../lib/audit/query.ts";

const context = { ip: "203.0.113.7", userAgent: "test-agent/1.0", requestId: "req-audit-1" };

async function entryFor(subject: string) {
  const actor = await createUser(subject);
  const id = await audit({
    action: "auth.sign_in",
    actor: { id: actor.id, email: actor.email },
    target: { type: "user", id: actor.id },
    metadata: { method: "password" },
  }, context);
  return { actor, id };
}

Deno.test("[audit] service — an entry keeps actor, action, target, ip, user agent and request id", async () => {
  const { actor, id } = await entryFor("audited");
  const { rows } = await sql<Record<string, unknown>>`
    select actor_id, actor_email, action, target_type, target_id, host(ip) as ip, user_agent, request_id, metadata
    from public.audit_log where id = ${id}::bigint`.execute(db());
  assertEquals(rows[0], {
    actor_id: actor.id,
    actor_email: actor.email.toLowerCase(),
    action: "auth.sign_in",
    target_type: "user",
    target_id: actor.id,
    ip: "203.0.113.7",
    user_agent: "test-agent/1.0",
    request_id: "req-audit-1",
    metadata: { method: "password" },
  });
});

Deno.test("[audit] append-only — update, delete and truncate fail for every role, the owner included", async () => {
  const { id } = await entryFor("immutable");
  const admin = await createUser("immutable-admin", { role: "admin" });
  const attempts = {
    owner: (q: ReturnType<typeof sql>) => q.execute(db()),
    service_role: (q: ReturnType<typeof sql>) => asService((tx) => q.execute(tx)),
    admin: (q: ReturnType<typeof sql>) => asUser(admin.claims, (tx) => q.execute(tx)),
    anon: (q: ReturnType<typeof sql>) => asUser(anonClaims, (tx) => q.execute(tx)),
  };
  const refused = /append-only|permission denied/;
  for (const run of Object.values(attempts)) {
    await assertRejects(
      () => run(sql`update public.audit_log set action = 'auth.sign_out' where id = ${id}::bigint`),
      refused,
    );
    await assertRejects(() => run(sql`delete from public.audit_log where id = ${id}::bigint`), refused);
    await assertRejects(() => run(sql`truncate public.audit_log`), refused);
  }
  const { rows } = await sql<{ action: string }>`select action from public.audit_log where id = ${id}::bigint`
    .execute(db());
  assertEquals(rows, [{ action: "auth.sign_in" }]);
});

Deno.test("[audit] owner — even the table owner's update is refused by the trigger", async () => {
  const { id } = await entryFor("trigger");
  await assertRejects(
    () => sql`update public.audit_log set metadata = '{}' where id = ${id}::bigint`.execute(db()),
    "append-only",
  );
});

Deno.test("[audit] users — a user, an agent and finance cannot read the log; auditors and admins can", async () => {
  const { actor, id } = await entryFor("reader-target");
  for (const role of [undefined, "agent", "finance"] as const) {
    const reader = await createUser(`reader-${role ?? "user"}`, role ? { role } : {});
    const seen = await asUser(reader.claims, (tx) => recentEntriesFor(tx, actor.id));
    assertEquals(seen, [], `${role ?? "user"} sees nothing`);
  }
  const admin = await createUser("reader-admin", { role: "admin" });
  const auditor = await createUser("reader-auditor");
  await sql`update public.user_roles set role = 'auditor' where user_id = ${auditor.id}`.execute(db());
  for (const claims of [admin.claims, { ...auditor.claims, user_role: "auditor" }]) {
    const seen = await asUser(claims, (tx) => recentEntriesFor(tx, actor.id));
    assertEquals(seen.map((e) => e.id), [id]);
  }
});

Deno.test("[audit] users — nobody but the service role may write entries", async () => {
  const admin = await createUser("writer-admin", { role: "admin" });
  for (const claims of [admin.claims, anonClaims]) {
    await assertRejects(() =>
      asUser(
        claims,
        (tx) =>
          sql`select private.record_audit('auth.sign_in', null, null, null, null, '{}', '{}')`.execute(tx),
      )
    );
    await assertRejects(() =>
      asUser(claims, (tx) => sql`insert into public.audit_log (action) values ('auth.sign_in')`.execute(tx))
    );
  }
});

Deno.test("[audit] filters — by actor email, action, target and Tehran calendar days, newest first", async () => {
  const { actor } = await entryFor("filtered");
  await audit({ action: "auth.sign_out", actor: { id: actor.id, email: actor.email } }, context);
  const admin = await createUser("filter-admin", { role: "admin" });
  const page = await asUser(admin.claims, (tx) => listAuditEntries(tx, { actor: actor.email.toUpperCase() }));
  assertEquals(page.entries.map((e) => e.action), ["auth.sign_out", "auth.sign_in"]);
  const signIns = await asUser(
    admin.claims,
    (tx) => listAuditEntries(tx, { actor: actor.id, action: "auth.sign_in", target: actor.id }),
  );
  assertEquals(signIns.entries.length, 1);
  const today = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Tehran" }).format(new Date());
  const byDay = await asUser(
    admin.claims,
    (tx) => listAuditEntries(tx, { actor: actor.id, from: today, to: today }),
  );
  assertEquals(byDay.entries.length, 2);
  const before = await asUser(
    admin.claims,
    (tx) => listAuditEntries(tx, { actor: actor.id, to: "2020-01-01" }),
  );
  assertEquals(before.entries, []);
});

Deno.test("[audit] pages — keyset pagination by id returns every entry once", async () => {
  const { actor } = await entryFor("paged");
  for (let i = 0; i < 4; i++) await audit({ action: "auth.sign_out", actor: { id: actor.id } }, context);
  const admin = await createUser("pager-admin", { role: "admin" });
  const seen: string[] = [];
  let after: string | undefined;
  do {
    const page = await asUser(
      admin.claims,
      (tx) => listAuditEntries(tx, { actor: actor.id }, { after, pageSize: 2 }),
    );
    seen.push(...page.entries.map((e) => e.id));
    after = page.next;
  } while (after);
  assertEquals(seen.length, 5);
  assertEquals(new Set(seen).size, 5);
  assert(seen.every((id, i) => i === 0 || BigInt(id) < BigInt(seen[i - 1])));
});

Deno.test("[audit] service_role — even with UPDATE and DELETE granted, the trigger refuses both", async () => {
  const { id } = await entryFor("granted");
  for (
    const statement of [
      sql`update public.audit_log set action = 'auth.sign_out' where id = ${id}::bigint`,
      sql`delete from public.audit_log where id = ${id}::bigint`,
    ]
  ) {
    await assertRejects(
      () =>
        db().transaction().execute(async (tx) => {
          await sql`grant update, delete on public.audit_log to service_role`.execute(tx);
          await sql`select set_config('role', 'service_role', true)`.execute(tx);
          await statement.execute(tx);
        }),
      "append-only",
    );
  }
});
