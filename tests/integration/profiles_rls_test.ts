import { assertEquals, assertRejects } from "@std/assert";
import { sql } from "kysely";
import { anonClaims, asUser, createUser } from "../_support/db.ts";

Deno.test("[profiles] owner — a new user gets a profile and can read and edit it", async () => {
  const alice = await createUser("alice");
  const rows = await asUser(alice.claims, (tx) => tx.selectFrom("profiles").selectAll().execute());
  assertEquals(rows.map((r) => [r.id, r.full_name]), [[alice.id, "alice"]]);
  await asUser(alice.claims, (tx) => tx.updateTable("profiles").set({ full_name: "Alice A." }).execute());
  const [mine] = await asUser(alice.claims, (tx) => tx.selectFrom("profiles").select("full_name").execute());
  assertEquals(mine.full_name, "Alice A.");
});

Deno.test("[profiles] stranger — another user's profile is invisible and cannot be changed", async () => {
  const [alice, bob] = [await createUser("alice"), await createUser("bob")];
  const seen = await asUser(
    bob.claims,
    (tx) => tx.selectFrom("profiles").select("id").where("id", "=", alice.id).execute(),
  );
  assertEquals(seen, []);
  const changed = await asUser(
    bob.claims,
    (tx) =>
      tx.updateTable("profiles").set({ full_name: "hacked" }).where("id", "=", alice.id).executeTakeFirst(),
  );
  assertEquals(changed.numUpdatedRows, 0n);
});

Deno.test("[profiles] anonymous — cannot read any profile", async () => {
  await createUser("carol");
  await assertRejects(
    () => asUser(anonClaims, (tx) => tx.selectFrom("profiles").selectAll().execute()),
    "permission denied",
  );
});

Deno.test("[profiles] owner — cannot change columns outside the editable set", async () => {
  const dave = await createUser("dave");
  await assertRejects(
    () =>
      asUser(
        dave.claims,
        (tx) => sql`update public.profiles set created_at = now() - interval '1 year'`.execute(tx),
      ),
    "permission denied",
  );
});
