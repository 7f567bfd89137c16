import { assert, assertEquals } from "@std/assert";
import { sql } from "kysely";
import { db } from "../_support/db.ts";
import { supabaseCli } from "../../local/migrate.ts";

Deno.test("[platform] migrations — applied by the Supabase CLI and recorded in schema_migrations", async () => {
  const files = [...Deno.readDirSync("supabase/migrations")].map((f) => f.name.split("_")[0]).sort();
  const { rows } = await sql<{ version: string }>`select version from supabase_migrations.schema_migrations
    order by version`.execute(db());
  assertEquals(rows.map((r) => r.version), files);
  const listed = await supabaseCli(["migration", "list"], Deno.env.get("DATABASE_URL"));
  for (const version of files) assert(listed.includes(version), `migration list shows ${version}`);
});

Deno.test("[platform] shim — auth helpers read the JWT claims like Supabase's", async () => {
  const claims = JSON.stringify({
    sub: "11111111-1111-1111-1111-111111111111",
    role: "authenticated",
    email: "a@b.c",
  });
  const { rows } = await db().transaction().execute((tx) =>
    sql<{ uid: string; role: string; email: string; jwt: Record<string, unknown> }>`
      select set_config('request.jwt.claims', ${claims}, true), auth.uid() as uid, auth.role() as role,
             auth.email() as email, auth.jwt() as jwt`.execute(tx)
  );
  assertEquals(rows[0].uid, "11111111-1111-1111-1111-111111111111");
  assertEquals(rows[0].role, "authenticated");
  assertEquals(rows[0].email, "a@b.c");
  assertEquals(rows[0].jwt.sub, "11111111-1111-1111-1111-111111111111");
});

Deno.test("[platform] shim — every table in public has row level security enabled", async () => {
  const { rows } = await sql<{ relname: string }>`select relname from pg_class c
    join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relkind = 'r' and not c.relrowsecurity`.execute(db());
  assertEquals(rows, []);
});

Deno.test("[platform] vault — secrets are created and read back decrypted by service code", async () => {
  const name = `test-${crypto.randomUUID()}`;
  await sql`select vault.create_secret('s3cret', ${name})`.execute(db());
  const { rows } = await sql<
    { decrypted_secret: string }
  >`select decrypted_secret from vault.decrypted_secrets
    where name = ${name}`.execute(db());
  assertEquals(rows[0].decrypted_secret, "s3cret");
});
