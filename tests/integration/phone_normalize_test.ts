import { assert, assertEquals, assertRejects } from "@std/assert";
import { sql } from "kysely";
import fc from "fast-check";
import { asUser, createUser, db } from "../_support/db.ts";
import { normalizePhone } from "../../lib/users/phone.ts";
import { getProfile, updateProfile } from "../../lib/users/profile.ts";
import { userErrors } from "../../lib/users/errors.ts";
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

Deno.test("[phone] profiles — any write stores E.164; what is not an Iranian mobile is refused as invalid_phone", async () => {
  const user = await createUser("phone-owner");
  const save = (phone: string) =>
    asUser(user.claims, async (tx) => {
      const profile = (await getProfile(tx, user.id))!;
      return await userErrors.mapping(() => updateProfile(tx, user.id, { ...profile, phone }));
    });
  const stored = async () => (await asUser(user.claims, (tx) => getProfile(tx, user.id)))!.phone;
  // Straight to the table, as a user may through Supabase's API, bypassing the app's form.
  for (const typed of ["0912 123 4567", "۰۹۱۲۱۲۳۴۵۶۷", "989121234567", "00989121234567", "9121234567"]) {
    assert(await save(typed));
    assertEquals(await stored(), "+989121234567", typed);
  }
  for (const typed of ["02112345678", "+14155550100", "0912"]) {
    const error = await assertRejects(() => save(typed));
    assert(userErrors.is(error, "invalid_phone"), `${typed}: ${error}`);
    assertEquals(error.status, 422);
  }
  assertEquals(await stored(), "+989121234567", "a refused write changes nothing");
});
