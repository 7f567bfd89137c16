import { assertEquals, assertRejects, assertStringIncludes } from "@std/assert";
import { sql } from "kysely";
import fc from "fast-check";
import { asUser, createUser, db } from "../_support/db.ts";
import { normalizePhone } from "../../lib/users/phone.ts";
import { getProfile } from "../../lib/users/profile.ts";
import { notAMobile, typedMobile } from "../_support/phones.ts";

const inSql = async (typed: string) =>
  (await sql<{ e164: string | null }>`select public.normalize_phone(${typed}) as e164`.execute(db())).rows[0]
    .e164;

Deno.test("[phone] SQL and TypeScript — public.normalize_phone and normalizePhone agree on every input", async () => {
  const samples = [
    ...fc.sample(typedMobile.map(([typed]) => typed), 300),
    ...fc.sample(notAMobile, 200),
    ...fc.sample(fc.string({ maxLength: 20 }), 100),
  ];
  for (const typed of samples) {
    assertEquals(await inSql(typed), normalizePhone(typed) ?? null, JSON.stringify(typed));
  }
});

Deno.test("[phone] profiles — the phone is read-only for users and always the number Auth verified", async () => {
  const user = await createUser("phone-owner");
  // Straight to the table, as a user may through Supabase's API: no grant on the column any more.
  const refused = await assertRejects(
    () =>
      asUser(
        user.claims,
        (tx) =>
          sql`update public.profiles set phone = '+989121234567' where id = ${user.id}::uuid`.execute(tx),
      ),
  );
  assertStringIncludes(String(refused), "permission denied");
  const stored = async () =>
    (await sql<{ phone: string | null }>`select phone from public.profiles where id = ${user.id}::uuid`
      .execute(db())).rows[0].phone;
  // Even the owner role writing it gets the verified number (none yet) instead.
  await sql`update public.profiles set phone = '+989121234567' where id = ${user.id}::uuid`.execute(db());
  assertEquals(await stored(), null);
  const digits = `98912${String(Date.now()).slice(-7)}`;
  await sql`update auth.users set phone = ${digits} where id = ${user.id}::uuid`.execute(db());
  assertEquals(await stored(), null, "an unconfirmed number is not mirrored");
  await sql`update auth.users set phone_confirmed_at = now() where id = ${user.id}::uuid`.execute(db());
  assertEquals(await stored(), `+${digits}`, "confirmed by Auth: the profile shows it");
  assertEquals((await asUser(user.claims, (tx) => getProfile(tx, user.id)))!.phone, `+${digits}`);
  await sql`update auth.users set phone = null, phone_confirmed_at = null where id = ${user.id}::uuid`
    .execute(db());
  assertEquals(await stored(), null);
});
