/**
 * The notification center API over HTTP (/api/v1/notifications) with Bearer tokens: keyset pages and the
 * unread count, mark-as-read (some, all, never someone else's), the preferences (defaults, validation, a
 * refused PUT changes nothing) and their effect on the next event (SMS off for a category: no SMS row), and
 * the SSE stream (a new notification arrives live with the new count).
 */
import { assert, assertEquals, assertMatch } from "@std/assert";
import { sql } from "kysely";
import { asService, db } from "../_support/db.ts";
import { api, type Caller, caller, withApiStack } from "./wallet_api_client.ts";
import { notificationSubscriberCount } from "../../lib/notifications/live.ts";

async function emit(userId: string, event: string, data: Record<string, unknown>, key?: string) {
  return await asService(async (tx) =>
    (await sql<{ id: string | null }>`select notifications.emit(${event}, ${userId}::uuid, ${
      JSON.stringify(data)
    }::text::jsonb, ${key ?? null})::text as id`.execute(tx)).rows[0].id
  );
}

async function verifyPhone(userId: string, phone: string) {
  await sql`update auth.users set phone = ${phone}, phone_confirmed_at = now() where id = ${userId}`.execute(
    db(),
  );
}

async function outbox(userId: string) {
  return (await sql<{ channel: string; event: string; category: string }>`
    select channel, event, category from public.notification_outbox where user_id = ${userId} order by id`
    .execute(db())).rows;
}

async function prefsRow(userId: string) {
  return (await sql<{ sms_enabled: boolean; time_zone: string }>`
    select sms_enabled, time_zone from public.notification_preferences where user_id = ${userId}`.execute(
    db(),
  ))
    .rows[0];
}

const transfer = (n: number) => ({ amount: String(n * 10_000), sender: "Kian", transaction_id: String(n) });

Deno.test("notifications API: pages, unread count, mark read, preferences and the SSE stream", async (t) => {
  await withApiStack(async (stack) => {
    const alice = await caller(stack, "alice-notif");
    const bob = await caller(stack, "bob-notif");
    const get = (who: Caller, path: string) => api(stack, "GET", path, { as: who });
    // Signing in is a security event (a "new sign-in" notice and its email): start from an empty center so
    // the counts below are this test's own.
    for (const who of [alice, bob]) {
      await sql`delete from public.notifications where user_id = ${who.id}`.execute(db());
      await sql`delete from public.notification_outbox where user_id = ${who.id}`.execute(db());
    }

    await t.step("keyset pages, newest first, with the unread count; another user sees none", async () => {
      for (let n = 1; n <= 25; n++) await emit(alice.id, "transfer.received", transfer(n), `t${n}`);
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const path = `/api/v1/notifications?limit=10${cursor ? `&cursor=${cursor}` : ""}`;
        const res = await get(alice, path);
        assertEquals(res.status, 200);
        assertEquals(res.body.unread_count, 25);
        assertEquals(Object.keys(res.body.items[0]).sort(), [
          "body",
          "category",
          "created_at",
          "id",
          "link",
          "read_at",
          "title",
        ]);
        seen.push(...res.body.items.map((i: { id: string }) => i.id));
        cursor = res.body.next_cursor;
        pages++;
      } while (cursor);
      assertEquals(pages, 3);
      assertEquals(seen.length, 25);
      assertEquals(new Set(seen).size, 25);
      assertEquals(seen, [...seen].sort((a, b) => Number(b) - Number(a)));
      const first = await get(alice, "/api/v1/notifications?limit=1");
      assertEquals(first.body.items[0].category, "money");
      assertEquals(first.body.items[0].link, "/wallet");
      assertMatch(first.body.items[0].title + first.body.items[0].body, /Kian|۲۵۰٬۰۰۰|250,000/);

      const theirs = await get(bob, "/api/v1/notifications");
      assertEquals(theirs.body, { items: [], unread_count: 0, next_cursor: null });
    });

    await t.step("bad queries are 400s", async () => {
      assertEquals((await get(alice, "/api/v1/notifications?cursor=%%%")).status, 400);
      assertEquals(
        (await get(alice, "/api/v1/notifications?cursor=OTk5OTk5OTk5OTk5OTk5OTk5OTk5")).status,
        400,
      );
      assertEquals((await get(alice, "/api/v1/notifications?limit=0")).status, 400);
      assertEquals((await api(stack, "GET", "/api/v1/notifications")).status, 401);
    });

    await t.step("mark read: some, never another user's, then all; bad bodies change nothing", async () => {
      const page = await get(alice, "/api/v1/notifications?limit=3");
      const ids = page.body.items.map((i: { id: string }) => i.id);
      const stolen = await api(stack, "POST", "/api/v1/notifications/read", { as: bob, json: { ids } });
      assertEquals(stolen.status, 200);
      assertEquals(stolen.body, { marked: 0, unread_count: 0 });
      for (
        const json of [{}, { ids, all: true }, { ids: [] }, { ids: ["abc"] }, { all: false }, {
          ids,
          extra: 1,
        }]
      ) {
        const res = await api(stack, "POST", "/api/v1/notifications/read", { as: alice, json });
        assertEquals(res.status, 400, JSON.stringify(json));
        assertEquals(res.body.error.code, "invalid_input");
      }
      const form = await api(stack, "POST", "/api/v1/notifications/read", {
        as: alice,
        json: "all=true",
        headers: { "content-type": "application/x-www-form-urlencoded" },
      });
      assert(form.status === 403 || form.status === 415, `${form.status}`);
      assertEquals((await get(alice, "/api/v1/notifications")).body.unread_count, 25);

      const some = await api(stack, "POST", "/api/v1/notifications/read", { as: alice, json: { ids } });
      assertEquals(some.body, { marked: 3, unread_count: 22 });
      const again = await get(alice, "/api/v1/notifications?limit=3");
      assert(again.body.items.every((i: { read_at: string | null }) => i.read_at !== null));
      const all = await api(stack, "POST", "/api/v1/notifications/read", { as: alice, json: { all: true } });
      assertEquals(all.body, { marked: 22, unread_count: 0 });
    });

    await t.step(
      "preferences: defaults, validation (nothing changes), then a change the next event obeys",
      async () => {
        const defaults = await get(alice, "/api/v1/notifications/preferences");
        assertEquals(defaults.status, 200);
        assertEquals(defaults.body.channels, { in_app: true, email: true, sms: true, whatsapp: true });
        assertEquals(defaults.body.quiet_hours, {
          enabled: true,
          start: "22:00",
          end: "08:00",
          time_zone: "Asia/Tehran",
        });
        assertEquals(defaults.body.unavailable.sms, "no_verified_phone");
        const money = defaults.body.categories.find((k: { key: string }) => k.key === "money");
        assertEquals(money.channels, { in_app: true, email: true, sms: true, whatsapp: false });
        const security = defaults.body.categories.find((k: { key: string }) => k.key === "security");
        assertEquals(security.always_on, true);

        const put = (json: unknown) =>
          api(stack, "PUT", "/api/v1/notifications/preferences", { as: alice, json });
        const refused = [
          [{}, "invalid_input"],
          [{ quiet_hours: { start: "25:00" } }, "invalid_input"],
          [{ channels: { sms: "no" } }, "invalid_input"],
          [{ channels: { fax: true } }, "invalid_input"],
          [
            { channels: { sms: false }, quiet_hours: { time_zone: "Mars/Olympus" } },
            "notification_invalid_time_zone",
          ],
          [
            { channels: { sms: false }, categories: { security: { email: false } } },
            "notification_invalid_input",
          ],
          [
            { channels: { sms: false }, categories: { nothing: { email: false } } },
            "notification_invalid_input",
          ],
        ] as const;
        for (const [json, code] of refused) {
          const res = await put(json);
          assertEquals(res.status, 400, JSON.stringify(json));
          assertEquals(res.body.error.code, code, JSON.stringify(json));
        }
        assertEquals(await prefsRow(alice.id), undefined, "a refused PUT stores nothing");

        await verifyPhone(alice.id, "989121234567");
        const iranian = await get(alice, "/api/v1/notifications/preferences");
        assertEquals(iranian.body.unavailable, {
          in_app: null,
          email: null,
          sms: null,
          whatsapp: "whatsapp_iran",
        });

        await emit(alice.id, "transfer.received", transfer(100), "before");
        assertEquals((await outbox(alice.id)).filter((r) => r.channel === "sms").length, 1);
        const saved = await put({
          categories: { money: { sms: false } },
          quiet_hours: { enabled: false, time_zone: "Europe/Berlin" },
        });
        assertEquals(saved.status, 200);
        assertEquals(
          saved.body.categories.find((k: { key: string }) => k.key === "money").channels.sms,
          false,
        );
        assertEquals(saved.body.quiet_hours.time_zone, "Europe/Berlin");
        assertEquals(saved.body.channels.sms, true, "fields left out keep their value");
        await emit(alice.id, "transfer.received", transfer(101), "after");
        const after = await outbox(alice.id);
        assertEquals(
          after.filter((r) => r.channel === "sms").length,
          1,
          "no SMS for the money event after SMS off",
        );
        assertEquals(after.filter((r) => r.channel === "email").length, 27);
        await emit(alice.id, "security.password_changed", {}, "pw");
        assertEquals(
          (await outbox(alice.id)).filter((r) => r.channel === "sms").length,
          2,
          "security stays on",
        );
      },
    );

    await t.step("the SSE stream: the count at once, then a new notification live", async () => {
      const controller = new AbortController();
      const res = await fetch(new URL("/api/v1/notifications/events", stack.appUrl), {
        headers: { authorization: `Bearer ${bob.token}`, accept: "text/event-stream" },
        signal: controller.signal,
      });
      assertEquals(res.status, 200);
      const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = "";
      const until = async (pattern: RegExp) => {
        const deadline = Date.now() + 10_000;
        while (!pattern.test(buffer)) {
          if (Date.now() > deadline) throw new Error(`timed out; got ${buffer}`);
          const { value, done } = await reader.read();
          if (done) throw new Error("stream ended");
          buffer += value;
        }
      };
      await until(/event: unread\ndata: \{"unread_count":0\}/);
      await emit(alice.id, "transfer.received", transfer(7), "not-bob");
      const id = await emit(bob.id, "transfer.received", transfer(5), "bob1");
      await until(/event: notification/);
      await until(/event: unread\ndata: \{"unread_count":1\}/);
      assertMatch(buffer, new RegExp(`"id":"${id}"`));
      assert(!buffer.includes("not-bob") && (buffer.match(/event: notification/g) ?? []).length === 1);
      const read = await api(stack, "POST", "/api/v1/notifications/read", { as: bob, json: { all: true } });
      assertEquals(read.body, { marked: 1, unread_count: 0 });
      await until(
        /event: unread\ndata: \{"unread_count":0\}[\s\S]*event: unread\ndata: \{"unread_count":0\}/,
      );
      controller.abort();
      await reader.cancel().catch(() => {});
      const deadline = Date.now() + 5_000;
      while (notificationSubscriberCount(bob.id) > 0 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
      }
    });
  });
});
