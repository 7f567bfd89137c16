/**
 * The tickets API over HTTP (/api/v1/tickets) with Bearer tokens: every endpoint, every refusal, and the SSE
 * stream. A customer (alice), a stranger (bob) and an agent. Another user's ticket is a 404; internal notes
 * never reach a customer (JSON or SSE); refused input changes nothing.
 */
import { assert, assertEquals, assertMatch } from "@std/assert";
import { sql } from "kysely";
import { db } from "../_support/db.ts";
import type { Stack } from "../../local/stack.ts";
import { ticketSubscriberCount } from "../../lib/tickets/live.ts";
import { api, type Caller, caller, withApiStack } from "./wallet_api_client.ts";

const TICKET_KEYS = [
  "id",
  "number",
  "status",
  "subject",
  "department",
  "priority",
  "created_at",
  "first_response_due_at",
  "resolution_due_at",
];

async function countTickets(userId: string): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from public.tickets
    where customer_id = ${userId}`.execute(db());
  return rows[0].n;
}

async function countMessages(ticketId: string): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from public.ticket_messages
    where ticket_id = ${ticketId}`.execute(db());
  return rows[0].n;
}

async function ticketRow(id: string) {
  const { rows } = await sql<
    { status: string; priority: string; tags: string[]; assignee_id: string | null }
  >`
    select status::text, priority::text, tags, assignee_id from public.tickets where id = ${id}`.execute(
    db(),
  );
  return rows[0];
}

async function paymentOf(userId: string): Promise<string> {
  const { rows } = await sql<{ id: string }>`insert into public.payments
      (user_id, merchant_key, amount, description, expires_at)
    values (${userId}, '0123456789abcdef', 10000, 'top-up', now() + interval '1 hour') returning id::text`
    .execute(db());
  return rows[0].id;
}

interface SseEvent {
  event?: string;
  id?: string;
  data: string;
}

/** An open SSE stream: `next()` resolves with the next event (or rejects after `ms`); `close()` ends it. */
async function openStream(stack: Stack, path: string, who: Caller, headers: Record<string, string> = {}) {
  const controller = new AbortController();
  const res = await fetch(new URL(path, stack.appUrl), {
    headers: { authorization: `Bearer ${who.token}`, accept: "text/event-stream", ...headers },
    signal: controller.signal,
  });
  if (res.status !== 200) {
    const body = await res.json();
    return { status: res.status, body, next: () => Promise.reject(), close: () => {} };
  }
  assertMatch(res.headers.get("content-type") ?? "", /^text\/event-stream/);
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  let listening = false;
  const events: SseEvent[] = [];
  const pull = async () => {
    const { value, done } = await reader.read();
    if (done) throw new Error("stream ended");
    buffer += value;
    let end;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      if (block.startsWith(": listening")) listening = true;
      const event: SseEvent = { data: "" };
      let isEvent = false;
      for (const line of block.split("\n")) {
        const [field, ...rest] = line.split(":");
        const value = rest.join(":").replace(/^ /, "");
        if (field === "event") event.event = value;
        else if (field === "id") event.id = value;
        else if (field === "data") (isEvent = true, event.data += value);
      }
      if (isEvent) events.push(event);
    }
  };
  const within = async <T>(promise: Promise<T>, ms: number) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      return await Promise.race([
        promise,
        new Promise<never>((_, reject) =>
          timer = setTimeout(() => reject(new Error(`no event in ${ms} ms`)), ms)
        ),
      ]);
    } finally {
      clearTimeout(timer);
    }
  };
  while (!listening) await within(pull(), 5000);
  return {
    status: 200,
    body: undefined,
    next: async (ms = 5000): Promise<SseEvent> => {
      while (events.length === 0) await within(pull(), ms);
      return events.shift()!;
    },
    close: () => controller.abort(),
  };
}

Deno.test("[tickets api] every endpoint and refusal over HTTP, and the SSE stream", async (t) => {
  await withApiStack(async (stack) => {
    const alice = await caller(stack, "tk-api-alice");
    const bob = await caller(stack, "tk-api-bob");
    const agent = await caller(stack, "tk-api-agent", "agent");

    await t.step("anonymous — every endpoint answers 401 JSON", async () => {
      for (
        const [method, path] of [
          ["POST", "/api/v1/tickets"],
          ["GET", "/api/v1/tickets"],
          ["GET", "/api/v1/tickets/1"],
          ["PATCH", "/api/v1/tickets/1"],
          ["POST", "/api/v1/tickets/1/messages"],
          ["POST", "/api/v1/tickets/1/rating"],
          ["GET", "/api/v1/tickets/1/events"],
        ] as const
      ) {
        const res = await api(stack, method, path, { json: method === "GET" ? undefined : {} });
        assertEquals([res.status, res.body.error?.code], [401, "unauthorized"], `${method} ${path}`);
      }
    });

    let ticketId = "";
    await t.step("POST /tickets — 201 with the documented fields; defaults general and normal", async () => {
      const res = await api(stack, "POST", "/api/v1/tickets", {
        as: alice,
        json: { subject: "  شارژ كيف پول  ", body: "پرداخت انجام شد ولی کیف‌پول شارژ نشد" },
      });
      assertEquals(res.status, 201, JSON.stringify(res.body));
      for (const key of TICKET_KEYS) assert(key in res.body, `${key} in ${JSON.stringify(res.body)}`);
      assertMatch(res.body.id, /^[1-9]\d*$/);
      assertMatch(res.body.number, /^TK-\d+$/);
      assertEquals([res.body.status, res.body.department, res.body.priority], ["open", "general", "normal"]);
      assertEquals(res.body.subject, "شارژ كيف پول");
      assert(Date.parse(res.body.first_response_due_at) > Date.parse(res.body.created_at));
      assert(Date.parse(res.body.resolution_due_at) >= Date.parse(res.body.first_response_due_at));
      assert(!("assignee_id" in res.body) && !("tags" in res.body), "no staff-only fields for a customer");
      ticketId = res.body.id;
      const { rows } = await sql<
        { channel: string }
      >`select channel from public.tickets where id = ${ticketId}`
        .execute(db());
      assertEquals(rows[0].channel, "api");
    });

    await t.step(
      "POST /tickets — department, priority and an own payment; another's payment is 422",
      async () => {
        const payment = await paymentOf(alice.id);
        const res = await api(stack, "POST", "/api/v1/tickets", {
          as: alice,
          json: {
            subject: "top-up",
            body: "charged, not credited",
            department: "payments",
            priority: "high",
            payment_id: payment,
          },
        });
        assertEquals(res.status, 201, JSON.stringify(res.body));
        assertEquals([res.body.department, res.body.priority, res.body.payment_id], [
          "payments",
          "high",
          payment,
        ]);

        const before = await countTickets(bob.id);
        const stolen = await api(stack, "POST", "/api/v1/tickets", {
          as: bob,
          json: { subject: "x", body: "y", payment_id: payment },
        });
        assertEquals([stolen.status, stolen.body.error.code], [422, "ticket_link_not_owned"]);
        const unknown = await api(stack, "POST", "/api/v1/tickets", {
          as: bob,
          json: { subject: "x", body: "y", department: "nowhere" },
        });
        assertEquals([unknown.status, unknown.body.error.code], [422, "ticket_unknown_department"]);
        assertEquals(await countTickets(bob.id), before, "a refused ticket is not created");
      },
    );

    await t.step("POST /tickets — hostile input is a 4xx and creates nothing", async () => {
      const before = await countTickets(alice.id);
      const bodies: [unknown, number, string][] = [
        [{}, 400, "invalid_input"],
        [{ subject: "s" }, 400, "invalid_input"],
        [{ subject: "   ", body: "b" }, 400, "invalid_input"],
        [{ subject: "s".repeat(201), body: "b" }, 400, "invalid_input"],
        [{ subject: "s", body: "b".repeat(20001) }, 400, "invalid_input"],
        [{ subject: "s\u0000", body: "b" }, 400, "invalid_input"],
        [{ subject: "s", body: "lone \ud800 surrogate" }, 400, "invalid_input"],
        [{ subject: "\udc00\ud800", body: "b" }, 400, "invalid_input"],
        [{ subject: "s", body: "b", priority: "critical" }, 400, "invalid_input"],
        [{ subject: "s", body: "b", department: "Payments'; drop table tickets;--" }, 400, "invalid_input"],
        [{ subject: "s", body: "b", payment_id: 1 }, 400, "invalid_input"],
        [{ subject: "s", body: "b", payment_id: "0" }, 400, "invalid_input"],
        [{ subject: "s", body: "b", payment_id: "9223372036854775808" }, 400, "invalid_input"],
        [{ subject: "s", body: "b", payment_id: "99999999999999999999" }, 400, "invalid_input"],
        [{ subject: "s", body: "b", extra: true }, 400, "invalid_input"],
        [{ subject: ["s"], body: "b" }, 400, "invalid_input"],
        [[], 400, "invalid_input"],
        ["null", 400, "invalid_input"],
        ['{"subject":', 400, "bad_request"],
      ];
      for (const [json, status, code] of bodies) {
        const res = await api(stack, "POST", "/api/v1/tickets", { as: alice, json });
        assertEquals([res.status, res.body.error?.code], [status, code], JSON.stringify(json).slice(0, 80));
      }
      const plain = await api(stack, "POST", "/api/v1/tickets", {
        as: alice,
        json: JSON.stringify({ subject: "s", body: "b" }),
        headers: { "content-type": "application/xml" },
      });
      assertEquals([plain.status, plain.body.error.code], [415, "json_required"]);
      assertEquals(await countTickets(alice.id), before);
    });

    await t.step(
      "GET /tickets — own tickets only, status filter, search, keyset pages; staff get the queue",
      async () => {
        const mine = await api(stack, "GET", "/api/v1/tickets", { as: alice });
        assertEquals(mine.status, 200);
        assertEquals(mine.body.items.length, 2);
        assertEquals(mine.body.next_cursor, null);
        assert(mine.body.items.some((i: { id: string }) => i.id === ticketId));

        const bobs = await api(stack, "GET", "/api/v1/tickets", { as: bob });
        assert(bobs.body.items.every((i: { id: string }) => i.id !== ticketId), "bob does not list alice's");

        const found = await api(stack, "GET", `/api/v1/tickets?q=${encodeURIComponent("شارژ کیف")}`, {
          as: alice,
        });
        assertEquals(found.body.items.map((i: { id: string }) => i.id), [ticketId]);
        const none = await api(stack, "GET", "/api/v1/tickets?status=closed", { as: alice });
        assertEquals(none.body.items, []);

        const page1 = await api(stack, "GET", "/api/v1/tickets?limit=1", { as: alice });
        assertEquals(page1.body.items.length, 1);
        assert(page1.body.next_cursor);
        const page2 = await api(stack, "GET", `/api/v1/tickets?limit=1&cursor=${page1.body.next_cursor}`, {
          as: alice,
        });
        assertEquals([page2.body.items[0].id, page2.body.next_cursor], [ticketId, null]);

        for (
          const [query, code] of [
            ["cursor=%25%25", "invalid_cursor"],
            ["cursor=" + btoa("99999999999999999999"), "invalid_cursor"],
            ["status=nonsense", "invalid_input"],
            ["limit=0", "invalid_input"],
            ["limit=abc", "invalid_input"],
            ["q=" + "x".repeat(201), "invalid_input"],
            ["q=%00", "invalid_input"],
            ["q=" + encodeURIComponent("\ud83d\ude00 ok") + "%00", "invalid_input"],
          ]
        ) {
          const res = await api(stack, "GET", `/api/v1/tickets?${query}`, { as: alice });
          assertEquals([res.status, res.body.error?.code], [400, code], query);
        }

        const queue = await api(stack, "GET", "/api/v1/tickets?limit=100", { as: agent });
        assertEquals(queue.status, 200);
        const item = queue.body.items.find((i: { id: string }) => i.id === ticketId);
        assert(item, "the agent's queue holds alice's ticket");
        assert("assignee_id" in item && Array.isArray(item.tags), "staff see assignee and tags");
      },
    );

    await t.step(
      "GET /tickets/{id} — another user's ticket and a missing one are 404; bad ids 400",
      async () => {
        const own = await api(stack, "GET", `/api/v1/tickets/${ticketId}`, { as: alice });
        assertEquals(own.status, 200);
        assertEquals([own.body.id, own.body.messages], [ticketId, []]);
        for (const who of [bob]) {
          const res = await api(stack, "GET", `/api/v1/tickets/${ticketId}`, { as: who });
          assertEquals([res.status, res.body.error.code], [404, "ticket_not_found"]);
        }
        const missing = await api(stack, "GET", "/api/v1/tickets/9223372036854775807", { as: alice });
        assertEquals([missing.status, missing.body.error.code], [404, "ticket_not_found"]);
        for (const id of ["abc", "0", "-1", "1.5", "9223372036854775808", "%00"]) {
          const res = await api(stack, "GET", `/api/v1/tickets/${id}`, { as: alice });
          assertEquals([res.status, res.body.error?.code], [400, "invalid_input"], id);
        }
      },
    );

    await t.step(
      "POST /tickets/{id}/messages — replies; internal notes are staff-only and never shown to the customer",
      async () => {
        const reply = await api(stack, "POST", `/api/v1/tickets/${ticketId}/messages`, {
          as: alice,
          json: { body: "any news?" },
        });
        assertEquals(reply.status, 201, JSON.stringify(reply.body));
        assertEquals([reply.body.author_role, reply.body.internal, reply.body.body], [
          "customer",
          false,
          "any news?",
        ]);
        assertEquals(reply.body.attachments, []);

        const before = await countMessages(ticketId);
        const sneaky = await api(stack, "POST", `/api/v1/tickets/${ticketId}/messages`, {
          as: alice,
          json: { body: "psst", internal: true },
        });
        assertEquals([sneaky.status, sneaky.body.error.code], [403, "ticket_internal_not_allowed"]);
        const stranger = await api(stack, "POST", `/api/v1/tickets/${ticketId}/messages`, {
          as: bob,
          json: { body: "hi" },
        });
        assertEquals([stranger.status, stranger.body.error.code], [404, "ticket_not_found"]);
        for (
          const json of [{}, { body: "" }, { body: "  " }, { body: "x", internal: "yes" }, {
            body: "x\u0000",
          }]
        ) {
          const res = await api(stack, "POST", `/api/v1/tickets/${ticketId}/messages`, { as: alice, json });
          assertEquals([res.status, res.body.error?.code], [400, "invalid_input"], JSON.stringify(json));
        }
        assertEquals(await countMessages(ticketId), before, "refused messages are not stored");

        const note = await api(stack, "POST", `/api/v1/tickets/${ticketId}/messages`, {
          as: agent,
          json: { body: "bank delay, check tomorrow", internal: true },
        });
        assertEquals([note.status, note.body.author_role, note.body.internal], [201, "staff", true]);
        const answer = await api(stack, "POST", `/api/v1/tickets/${ticketId}/messages`, {
          as: agent,
          json: { body: "we are checking" },
        });
        assertEquals(answer.status, 201);

        const customerView = await api(stack, "GET", `/api/v1/tickets/${ticketId}`, { as: alice });
        assertEquals(
          customerView.body.messages.map((
            m: { author_role: string; body: string },
          ) => [m.author_role, m.body]),
          [["customer", "any news?"], ["staff", "we are checking"]],
        );
        assert(!JSON.stringify(customerView.body).includes("bank delay"), "the note appears nowhere for her");
        const staffView = await api(stack, "GET", `/api/v1/tickets/${ticketId}`, { as: agent });
        assertEquals(staffView.body.messages.map((m: { internal: boolean }) => m.internal), [
          false,
          true,
          false,
        ]);
      },
    );

    await t.step(
      "PATCH /tickets/{id} — customers only close and reopen; staff change the rest; refusals change nothing",
      async () => {
        const path = `/api/v1/tickets/${ticketId}`;
        const before = await ticketRow(ticketId);
        for (
          const json of [
            { priority: "urgent" },
            { tags: ["vip"] },
            { department: "technical" },
            { assignee_id: agent.id },
            { status: "resolved" },
            { status: "pending" },
            { status: "closed", priority: "urgent" },
          ]
        ) {
          const res = await api(stack, "PATCH", path, { as: alice, json });
          assertEquals(
            [res.status, res.body.error?.code],
            [403, "ticket_not_permitted"],
            JSON.stringify(json),
          );
        }
        assertEquals(await ticketRow(ticketId), before, "refused changes change nothing");
        const stranger = await api(stack, "PATCH", path, { as: bob, json: { status: "closed" } });
        assertEquals([stranger.status, stranger.body.error.code], [404, "ticket_not_found"]);
        for (const json of [{}, { status: "gone" }, { tags: "vip" }, { assignee_id: "nobody" }, { x: 1 }]) {
          const res = await api(stack, "PATCH", path, { as: alice, json });
          assertEquals([res.status, res.body.error?.code], [400, "invalid_input"], JSON.stringify(json));
        }

        const closed = await api(stack, "PATCH", path, { as: alice, json: { status: "closed" } });
        assertEquals([closed.status, closed.body.status], [200, "closed"], JSON.stringify(closed.body));
        const reopened = await api(stack, "PATCH", path, { as: alice, json: { status: "reopened" } });
        assertEquals(
          [reopened.status, reopened.body.status],
          [200, "reopened"],
          JSON.stringify(reopened.body),
        );

        const staff = await api(stack, "PATCH", path, {
          as: agent,
          json: { priority: "urgent", department: "payments", tags: ["VIP", "bank"], assignee_id: agent.id },
        });
        assertEquals(staff.status, 200, JSON.stringify(staff.body));
        assertEquals(
          [staff.body.priority, staff.body.department, staff.body.assignee_id, [...staff.body.tags].sort()],
          ["urgent", "payments", agent.id, ["bank", "vip"]],
        );

        // One refused part refuses the whole change: the tags sent with an assignee who cannot work tickets stay unset.
        const partial = await api(stack, "PATCH", path, {
          as: agent,
          json: { tags: ["other"], assignee_id: bob.id },
        });
        assertEquals([partial.status, partial.body.error.code], [422, "ticket_invalid_assignee"]);
        assertEquals([...(await ticketRow(ticketId)).tags].sort(), ["bank", "vip"]);
        const resolvedToPending = await api(stack, "PATCH", path, {
          as: agent,
          json: { status: "resolved" },
        });
        assertEquals([resolvedToPending.status, resolvedToPending.body.status], [200, "resolved"]);
      },
    );

    await t.step(
      "POST /tickets/{id}/rating — only when resolved or closed, once, by the customer",
      async () => {
        const fresh = await api(stack, "POST", "/api/v1/tickets", {
          as: alice,
          json: { subject: "s", body: "b" },
        });
        const early = await api(stack, "POST", `/api/v1/tickets/${fresh.body.id}/rating`, {
          as: alice,
          json: { score: 5 },
        });
        assertEquals([early.status, early.body.error.code], [409, "ticket_not_ratable"]);

        const path = `/api/v1/tickets/${ticketId}/rating`;
        const stranger = await api(stack, "POST", path, { as: bob, json: { score: 1 } });
        assertEquals([stranger.status, stranger.body.error.code], [404, "ticket_not_found"]);
        const byAgent = await api(stack, "POST", path, { as: agent, json: { score: 5 } });
        assertEquals([byAgent.status, byAgent.body.error.code], [403, "ticket_not_permitted"]);
        for (
          const json of [{}, { score: 0 }, { score: 6 }, { score: 4.5 }, { score: "5" }, {
            score: 5,
            comment: "c".repeat(2001),
          }]
        ) {
          const res = await api(stack, "POST", path, { as: alice, json });
          assertEquals([res.status, res.body.error?.code], [400, "invalid_input"], JSON.stringify(json));
        }
        const rated = await api(stack, "POST", path, { as: alice, json: { score: 4, comment: "سریع بود" } });
        assertEquals(rated.status, 201, JSON.stringify(rated.body));
        assertEquals(rated.body.rating, { score: 4, comment: "سریع بود" });
        const again = await api(stack, "POST", path, { as: alice, json: { score: 1 } });
        assertEquals([again.status, again.body.error.code], [409, "ticket_already_rated"]);
        const { rows } = await sql<
          { csat_score: number }
        >`select csat_score from public.tickets where id = ${ticketId}`
          .execute(db());
        assertEquals(rows[0].csat_score, 4, "the second rating did not overwrite the first");
      },
    );

    await t.step(
      "GET /tickets/{id}/events — one message event per new visible message; no internal notes for customers",
      async () => {
        const opened = await api(stack, "POST", "/api/v1/tickets", {
          as: alice,
          json: { subject: "live", body: "watching" },
        });
        const id = opened.body.id;
        const path = `/api/v1/tickets/${id}/events`;

        const strangers = await openStream(stack, path, bob);
        assertEquals([strangers.status, strangers.body?.error?.code], [404, "ticket_not_found"]);

        const customer = await openStream(stack, path, alice);
        const staff = await openStream(stack, path, agent);
        try {
          const note = await api(stack, "POST", `/api/v1/tickets/${id}/messages`, {
            as: agent,
            json: { body: "internal: refund pending", internal: true },
          });
          const reply = await api(stack, "POST", `/api/v1/tickets/${id}/messages`, {
            as: agent,
            json: { body: "refund is on its way" },
          });
          const own = await api(stack, "POST", `/api/v1/tickets/${id}/messages`, {
            as: alice,
            json: { body: "thanks" },
          });

          // The customer's next events are the reply and her own message: the note in between is never sent.
          const first = await customer.next();
          assertEquals([first.event, first.id], ["message", reply.body.id]);
          assertEquals(JSON.parse(first.data), reply.body);
          const second = await customer.next();
          assertEquals([second.event, JSON.parse(second.data).id], ["message", own.body.id]);

          const seen = [await staff.next(), await staff.next(), await staff.next()].map((e) =>
            JSON.parse(e.data)
          );
          assertEquals(seen.map((m) => [m.id, m.internal]), [
            [note.body.id, true],
            [reply.body.id, false],
            [own.body.id, false],
          ]);
        } finally {
          customer.close();
          staff.close();
        }

        // Reconnecting with Last-Event-ID replays what was missed (still without the note).
        const first = (await api(stack, "GET", `/api/v1/tickets/${id}`, { as: alice })).body.messages[0].id;
        const again = await openStream(stack, path, alice, { "last-event-id": first });
        try {
          const missed = JSON.parse((await again.next()).data);
          assertEquals(missed.body, "thanks");
        } finally {
          again.close();
        }

        // A client that goes away ends its stream on the server: the ticket has no listener left.
        const deadline = Date.now() + 5000;
        while (ticketSubscriberCount({ ticketId: id }) > 0 && Date.now() < deadline) {
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        assertEquals(ticketSubscriberCount({ ticketId: id }), 0, "every stream of the ticket ended");
      },
    );

    await t.step("OpenAPI — the tickets operations are in the document", async () => {
      const doc = await api(stack, "GET", "/api/v1/openapi.json");
      const paths = doc.body.paths;
      assertEquals(paths["/tickets"].post.operationId, "createTicket");
      assertEquals(paths["/tickets"].get.operationId, "listTickets");
      assertEquals(paths["/tickets/{id}"].patch.operationId, "updateTicket");
      assert(paths["/tickets/{id}/events"].get.responses["200"].content["text/event-stream"]);
      assert(
        paths["/tickets/{id}/messages"].post.responses["403"].description.includes(
          "ticket_internal_not_allowed",
        ),
      );
    });
  });
});
