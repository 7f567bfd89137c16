import { assertEquals } from "@std/assert";
import postgres from "postgres";
import { createGateway } from "../../local/gateway.ts";
import { loadLocalKeys } from "../../local/keys.ts";
import { recordMessage } from "../../local/outbox/store.ts";

async function withGateway(
  fn: (gateway: ReturnType<typeof createGateway>, sql: postgres.Sql) => Promise<void>,
) {
  const sql = postgres(Deno.env.get("DATABASE_URL")!, { max: 2, onnotice: () => {} });
  await sql.unsafe(await Deno.readTextFile("local/sql/dev_outbox.sql"));
  try {
    await fn(createGateway({ sql, keys: await loadLocalKeys() }), sql);
  } finally {
    await sql.end();
  }
}

Deno.test("[gateway] functions — /functions/v1/<name> runs the function's exported handler", async () => {
  await withGateway(async (gateway) => {
    const res = await gateway.request("/functions/v1/hello?name=pishkhan");
    assertEquals(res.status, 200);
    assertEquals((await res.json()).message, "hello pishkhan");
  });
});

Deno.test("[gateway] functions — an unknown function is a 404 like Supabase's", async () => {
  await withGateway(async (gateway) => {
    const res = await gateway.request("/functions/v1/nope");
    assertEquals(res.status, 404);
    assertEquals((await res.json()).code, "NOT_FOUND");
    assertEquals((await gateway.request("/functions/v1/..%2Fmain")).status, 404);
  });
});

Deno.test("[gateway] outbox — captured messages are listed as JSON and HTML", async () => {
  await withGateway(async (gateway, sql) => {
    const to = `${crypto.randomUUID()}@test.local`;
    const id = await recordMessage(sql, {
      channel: "email",
      provider: "test",
      recipient: to,
      sender: "a@b.c",
      subject: "Hello",
      body_text: "Hi",
      body_html: null,
    });
    const json = await (await gateway.request(`/_dev/outbox/messages.json?to=${to}`)).json();
    assertEquals(json.messages.map((m: { id: number }) => Number(m.id)), [id]);
    const page = await gateway.request(`/_dev/outbox/${id}`);
    assertEquals(page.status, 200);
  });
});
