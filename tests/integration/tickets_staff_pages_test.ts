/**
 * The staff help desk pages over HTTP (/admin/tickets): queue filters and keyset pages, bulk actions,
 * assignment (manual, round-robin, availability), internal notes that the customer never gets, canned
 * responses filled in fa and en, tags, merge with the redirect, related records only with permission,
 * presence, and the live streams. Each test works in a department of its own so parallel tests don't mix.
 */
import { assert, assertEquals, assertStringIncludes } from "@std/assert";
import { PNG } from "../_support/files.ts";
import { sql } from "kysely";
import { renderToString } from "preact-render-to-string";
import { asUser, db } from "../_support/db.ts";
import { fund } from "../_support/ledger.ts";
import type { Claims } from "../../lib/db/client.ts";
import { Client, createAccount, signIn, staff, withStack } from "./auth_http_client.ts";
import { getTicket, openTicket, postMessage, type Ticket } from "../../lib/tickets/store.ts";
import { visibleMessage } from "../../lib/tickets/live.ts";
import { mentionAgents } from "../../lib/tickets/desk.ts";
import { Thread, threadOf } from "../../components/tickets/Thread.tsx";
import { translate } from "../../lib/i18n/mod.ts";
import type { Stack } from "../../local/stack.ts";
import { department, joinDepartment } from "../_support/tickets.ts";

/** The claims an access token of `account` would carry. */
function claimsOf(account: { id: string; email: string }, role = "user"): Claims {
  return {
    sub: account.id,
    role: "authenticated",
    aud: "authenticated",
    email: account.email,
    user_role: role,
  };
}

/** A customer who can sign in, with the claims their access token would carry. */
async function customer(stack: Stack, name: string) {
  const account = await createAccount(stack, name);
  return { ...account, claims: claimsOf(account) };
}

function open(claims: Claims, dept: string, subject: string, body = "کیف پولم شارژ نشد") {
  return asUser(claims, (tx) => openTicket(tx, { subject, body, department: dept }));
}

/** A form post with repeated fields (several ticked checkboxes). */
function postPairs(client: Client, path: string, pairs: [string, string][]) {
  return client.request(path, {
    method: "POST",
    body: new URLSearchParams(pairs).toString(),
    headers: { "content-type": "application/x-www-form-urlencoded", origin: client.base },
  });
}

async function html(client: Client, path: string): Promise<string> {
  const res = await client.get(path);
  assertEquals(res.status, 200, `${path}: ${res.status}`);
  return await res.text();
}

async function location(res: Promise<Response>): Promise<string | null> {
  const answer = await res;
  await answer.body?.cancel();
  assertEquals(answer.status, 303, `expected 303, got ${answer.status}`);
  return answer.headers.get("location");
}

/** The ticket rows of a queue page (data-ticket ids in page order). */
const rowsOf = (page: string) => [...page.matchAll(/<tr data-ticket="(\d+)"/g)].map((m) => m[1]);

async function ticketRow(id: string) {
  const { rows } = await sql<{ assignee_id: string | null; status: string; tags: string[] }>`
    select assignee_id, status::text, tags from public.tickets where id = ${id}`.execute(db());
  return rows[0];
}

/** Reads an SSE response until `pattern` shows up (or throws after `ms`), then closes it. */
async function readUntil(res: Response, pattern: RegExp, ms = 8000): Promise<string> {
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  const timer = setTimeout(() => reader.cancel(), ms);
  try {
    while (!pattern.test(text)) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`stream ended without ${pattern}: ${text}`);
      text += value;
    }
    return text;
  } finally {
    clearTimeout(timer);
    await reader.cancel().catch(() => {});
  }
}

Deno.test("[tickets staff pages] queue: saved filters, department, search and keyset pages", async () => {
  await withStack(async (stack) => {
    const [a, b] = [await staff(stack, "agent"), await staff(stack, "agent")];
    const dept = await department("staff");
    await joinDepartment(a.id, dept.id);
    await joinDepartment(b.id, dept.id);
    const alice = await customer(stack, "queue-alice");
    const opened: Ticket[] = [];
    for (let n = 0; n < 27; n++) opened.push(await open(alice.claims, dept.code, `queue ${n}`));
    const ids = opened.map((t) => t.id);
    const base = `/admin/tickets?department=${dept.code}`;

    // Keyset: 25 newest, then the rest through the next link; no overlap, nothing lost.
    const first = await html(a.client, base);
    const firstRows = rowsOf(first);
    assertEquals(firstRows, [...ids].reverse().slice(0, 25));
    const next = first.match(/href="([^"]+)" rel="next"/)![1].replaceAll("&amp;", "&");
    assertStringIncludes(next, `department=${dept.code}`);
    const second = await html(a.client, next);
    assertEquals(rowsOf(second), [...ids].reverse().slice(25));
    assert(!/rel="next"/.test(second));

    // mine: exactly the tickets round-robin gave to this agent.
    const mine = rowsOf(await html(a.client, `${base}&filter=mine`));
    const assignedToA = opened.filter((t) => t.assigneeId === a.id).map((t) => t.id);
    assert(assignedToA.length > 0 && assignedToA.length < 27);
    assertEquals(new Set(mine), new Set(assignedToA.slice(-25)));

    // unassigned: after unassigning one.
    await location(a.client.post(`/admin/tickets/${ids[0]}/assign`, { assignee: "" }));
    assertEquals(rowsOf(await html(a.client, `${base}&filter=unassigned`)), [ids[0]]);

    // pending: after moving one to pending.
    await location(a.client.post(`/admin/tickets/${ids[1]}/status`, { status: "pending" }));
    assertEquals(rowsOf(await html(a.client, `${base}&filter=pending`)), [ids[1]]);

    // at risk: SLA warning and breach (flagged by the SLA job in production), with their badges.
    await sql`update public.tickets set sla_warning = true where id = ${ids[2]}`.execute(db());
    await sql`update public.tickets set sla_breached = true where id = ${ids[3]}`.execute(db());
    const risky = await html(a.client, `${base}&filter=at_risk`);
    assertEquals(rowsOf(risky), [ids[3], ids[2]]);
    assertStringIncludes(risky, 'data-sla="breach"');
    assertStringIncludes(risky, 'data-sla="warning"');

    // Search (Persian-normalised in SQL): Arabic yeh finds the Persian subject.
    const special = await open(alice.claims, dept.code, "مشکل پرداختی ویژه");
    assertEquals(rowsOf(await html(a.client, `${base}&q=${encodeURIComponent("پرداختي ويژه")}`)), [
      special.id,
    ]);

    // Persian page: the saved filters and statuses are in Persian.
    assertStringIncludes(await html(a.client, `${base}&filter=pending`), "Pending");
    const persian = await a.client.get(`${base}&filter=pending`, { "accept-language": "fa" });
    const persianText = await persian.text();
    assertStringIncludes(persianText, "در انتظار مشتری");
    assertStringIncludes(persianText, 'dir="rtl"');
  });
});

Deno.test("[tickets staff pages] bulk assign, close and tag; manual and round-robin assignment; availability", async () => {
  await withStack(async (stack) => {
    const [a, b] = [await staff(stack, "agent"), await staff(stack, "agent")];
    const dept = await department("staff");
    await joinDepartment(a.id, dept.id);
    await joinDepartment(b.id, dept.id);
    const bob = await customer(stack, "bulk-bob");
    const [t1, t2, t3] = [
      await open(bob.claims, dept.code, "bulk 1"),
      await open(bob.claims, dept.code, "bulk 2"),
      await open(bob.claims, dept.code, "bulk 3"),
    ];
    const ticked = (
      extra: [string, string][],
    ): [string, string][] => [["ids", t1.id], ["ids", t2.id], ...extra];

    assertEquals(
      await location(
        postPairs(a.client, "/admin/tickets/bulk", ticked([["action", "tag"], ["tag", "Refund"]])),
      ),
      "/admin/tickets?notice=bulk_tag&count=2",
    );
    assertEquals([
      (await ticketRow(t1.id)).tags,
      (await ticketRow(t2.id)).tags,
      (await ticketRow(t3.id)).tags,
    ], [
      ["refund"],
      ["refund"],
      [],
    ]);
    await location(
      postPairs(a.client, "/admin/tickets/bulk", ticked([["action", "assign"], ["assignee", b.id]])),
    );
    assertEquals([(await ticketRow(t1.id)).assignee_id, (await ticketRow(t2.id)).assignee_id], [b.id, b.id]);
    const notice = await html(a.client, "/admin/tickets?notice=bulk_assign&count=2");
    assertStringIncludes(notice, "2 tickets assigned.");
    await location(postPairs(a.client, "/admin/tickets/bulk", ticked([["action", "close"]])));
    assertEquals([(await ticketRow(t1.id)).status, (await ticketRow(t2.id)).status], ["closed", "closed"]);
    assertEquals((await ticketRow(t3.id)).status, "open");
    // Bad input changes nothing: a tag action without a tag.
    const bad = await postPairs(a.client, "/admin/tickets/bulk", [["ids", t3.id], ["action", "tag"]]);
    assertEquals(bad.status, 400);
    await bad.body?.cancel();
    assertEquals((await ticketRow(t3.id)).tags, []);

    // Manual assignment, then round-robin with b away: always a.
    await location(a.client.post(`/admin/tickets/${t3.id}/assign`, { assignee: b.id }));
    assertEquals((await ticketRow(t3.id)).assignee_id, b.id);
    assertEquals(
      await location(b.client.post("/admin/tickets/availability", { available: "off" })),
      "/admin/tickets?notice=unavailable",
    );
    assertStringIncludes(await html(b.client, "/admin/tickets"), 'data-available="false"');
    for (let n = 0; n < 2; n++) {
      assertEquals(
        await location(a.client.post(`/admin/tickets/${t3.id}/round-robin`, {})),
        `/admin/tickets/${t3.id}?notice=assigned`,
      );
      assertEquals((await ticketRow(t3.id)).assignee_id, a.id);
    }
    // Nobody available: the ticket stays as it was and the page says so.
    await location(a.client.post("/admin/tickets/availability", { available: "off" }));
    assertEquals(
      await location(a.client.post(`/admin/tickets/${t3.id}/round-robin`, {})),
      `/admin/tickets/${t3.id}?notice=round_robin_none`,
    );
    assertEquals((await ticketRow(t3.id)).assignee_id, a.id);
    // Someone who cannot work tickets is refused, and nothing changes.
    const refused = await a.client.post(`/admin/tickets/${t3.id}/assign`, { assignee: bob.id });
    assertEquals(refused.status, 422);
    await refused.body?.cancel();
    assertEquals((await ticketRow(t3.id)).assignee_id, a.id);
  });
});

Deno.test("[tickets staff pages] the work page shows the customer's attachments as thumbnails and signed downloads", async () => {
  await withStack(async (stack) => {
    const agent = await staff(stack, "agent");
    const dept = await department("staff");
    const cara = await createAccount(stack, "attach-cara");
    const browser = new Client(stack.appUrl, { "accept-language": "en" });
    await signIn(browser, cara);
    const body = new FormData();
    for (const [name, value] of Object.entries({ department: dept.code, priority: "normal", link: "" })) {
      body.set(name, value);
    }
    body.set("subject", "receipt attached");
    body.set("body", "the bank receipt is attached");
    body.append("files", new File([PNG], "رسید.png", { type: "image/png" }));
    const opened = await browser.request("/tickets/new", {
      method: "POST",
      body,
      headers: { origin: new URL(browser.base).origin },
    });
    assertEquals(opened.status, 303, await opened.text());
    const id = /^\/tickets\/(\d+)\?/.exec(opened.headers.get("location") ?? "")?.[1];
    assert(id, opened.headers.get("location") ?? "no location");
    const { rows } = await sql<
      { path: string }
    >`select path from public.ticket_attachments where ticket_id = ${id}`
      .execute(db());
    assertEquals(rows.length, 1);
    const path = rows[0].path;

    const page = await html(agent.client, `/admin/tickets/${id}`);
    assertStringIncludes(page, `data-attachment="${path}"`);
    const thumb = /<img src="([^"]+)" alt="رسید.png"/.exec(page)?.[1]?.replaceAll("&amp;", "&");
    assert(thumb, "a thumbnail through a signed URL");
    assertStringIncludes(thumb, `/storage/v1/object/sign/ticket-attachments/${path}?token=`);
    const link = /<a href="([^"]+)" target="_blank" rel="noopener" download="رسید.png"/.exec(page)?.[1];
    assertEquals(link?.replaceAll("&amp;", "&"), thumb, "a download link with the same signed URL");
    const download = await fetch(thumb);
    assertEquals(download.status, 200);
    assertEquals(new Uint8Array(await download.arrayBuffer()), PNG);
  });
});

Deno.test("[tickets staff pages] internal notes never reach the customer; @mentions; canned responses in fa and en; tags", async () => {
  await withStack(async (stack) => {
    const [a, b] = [await staff(stack, "agent"), await staff(stack, "agent")];
    const dept = await department("staff");
    const cara = await customer(stack, "Cara");
    const ticket = await open(cara.claims, dept.code, "top-up missing");
    const page = `/admin/tickets/${ticket.id}`;
    const bHandle = b.email.split("@")[0];

    assertEquals(
      await location(
        a.client.post(`${page}/reply`, {
          body: `bank says delayed, @${bHandle} please check`,
          internal: "on",
        }),
      ),
      `${page}?notice=noted`,
    );
    assertEquals(
      await location(a.client.post(`${page}/reply`, { body: "We are checking with the bank." })),
      `${page}?notice=replied`,
    );
    const staffView = await html(a.client, page);
    assertStringIncludes(staffView, "bank says delayed");
    assertStringIncludes(staffView, 'data-internal="true"');
    assertStringIncludes(staffView, "We are checking with the bank.");

    // What the customer's ticket page renders: the shared thread over the customer's own read (RLS).
    const seen = await asUser(cara.claims, (tx) => getTicket(tx, ticket.id));
    assert(seen);
    const customerHtml = renderToString(
      Thread({
        t: (key, params) => translate("fa", key, params),
        locale: "fa",
        entries: threadOf(seen),
        links: {},
        author: () => "",
      }),
    );
    assertStringIncludes(customerHtml, "We are checking with the bank.");
    assert(!customerHtml.includes("bank says delayed"), "the internal note reached the customer's page");
    assert(!customerHtml.includes("data-internal"));
    const { rows } = await sql<{ id: string }>`select id::text from public.ticket_messages
      where ticket_id = ${ticket.id} and internal`.execute(db());
    assertEquals(await asUser(cara.claims, (tx) => visibleMessage(tx, rows[0].id)), undefined);

    // The note's @mention names b; mentions are announced only for the author's own message.
    assertEquals(await asUser(claimsOf(a, "agent"), (tx) => mentionAgents(tx, rows[0].id, [b.id, cara.id])), [
      b.id,
    ]);

    // Canned response with variables, filled for this ticket in Persian and in English.
    assertEquals(
      await location(a.client.post("/admin/tickets/canned", {
        title: "Bank delay",
        department: String(dept.id),
        body_fa: "سلام {{customer.name}}، تیکت {{ticket.number}} را بررسی می‌کنیم.",
        body_en: "Hello {{customer.name}}, we are looking into {{ticket.number}}.",
      })),
      "/admin/tickets/canned?notice=created",
    );
    const list = await html(a.client, "/admin/tickets/canned");
    const cannedId = list.match(/data-canned="(\d+)"[^]*?Bank delay/)![1];
    const fa = await html(a.client, `${page}?canned=${cannedId}&lang=fa`);
    assertStringIncludes(fa, `سلام Cara، تیکت ${ticket.number} را بررسی می‌کنیم.`);
    const en = await html(a.client, `${page}?canned=${cannedId}&lang=en`);
    assertStringIncludes(en, `Hello Cara, we are looking into ${ticket.number}.`);
    const invalid = await a.client.post("/admin/tickets/canned", { title: "x", body_fa: "", body_en: "y" });
    assertEquals(invalid.status, 400);
    assertStringIncludes(await invalid.text(), "Give a title and both texts.");

    // Tags: trimmed, lower case, Persian commas too.
    await location(a.client.post(`${page}/tags`, { tags: "Bank, تاخیر، bank" }));
    assertEquals((await ticketRow(ticket.id)).tags, ["bank", "تاخیر"]);
    assertStringIncludes(await html(a.client, `/admin/tickets?department=${dept.code}`), "#تاخیر");
  });
});

Deno.test("[tickets staff pages] merge moves the thread and the merged ticket redirects; related records need permission", async () => {
  await withStack(async (stack) => {
    const [agent, admin, finance] = [
      await staff(stack, "agent"),
      await staff(stack, "admin"),
      await staff(stack, "finance"),
    ];
    const dept = await department("staff");
    const dana = await customer(stack, "dana");
    const first = await open(dana.claims, dept.code, "charged twice", "first report of the double charge");
    const second = await open(dana.claims, dept.code, "charged twice again", "second report");
    await asUser(dana.claims, (tx) => postMessage(tx, first.id, "receipt number 4455"));

    assertEquals(
      await location(agent.client.post(`/admin/tickets/${first.id}/merge`, { into: second.number })),
      `/admin/tickets/${second.id}?notice=merged`,
    );
    const gone = await agent.client.get(`/admin/tickets/${first.id}`);
    await gone.body?.cancel();
    assertEquals(gone.status, 302);
    assertEquals(gone.headers.get("location"), `/admin/tickets/${second.id}?merged_from=${first.number}`);
    const survivor = await html(agent.client, gone.headers.get("location")!);
    assertStringIncludes(survivor, "first report of the double charge");
    assertStringIncludes(survivor, "receipt number 4455");
    assertStringIncludes(survivor, `${first.number} was merged into this ticket.`);
    // The merged ticket left the queue; merging into itself or again is refused.
    assertEquals(rowsOf(await html(agent.client, `/admin/tickets?department=${dept.code}`)), [second.id]);
    const again = await agent.client.post(`/admin/tickets/${second.id}/merge`, { into: second.id });
    assertEquals(again.status, 409);
    await again.body?.cancel();

    // Related records: the admin (wallet.view, payments.view) sees the balance; the agent does not.
    await fund(dana.id, 250_000n);
    const adminView = await html(admin.client, `/admin/tickets/${second.id}`);
    assertStringIncludes(adminView, 'data-related="wallet"');
    assertStringIncludes(adminView, "25,000 tomans");
    const agentView = await html(agent.client, `/admin/tickets/${second.id}`);
    assert(!agentView.includes("data-related"), "an agent without wallet.view saw the wallet");
    assert(!agentView.includes("25,000 tomans"));
    // Without tickets.manage there is no help desk at all.
    const denied = await finance.client.get("/admin/tickets");
    assertEquals(denied.status, 403);
    await denied.body?.cancel();
    const deniedPost = await finance.client.post(`/admin/tickets/${second.id}/reply`, { body: "hi" });
    assertEquals(deniedPost.status, 403);
    await deniedPost.body?.cancel();
  });
});

Deno.test("[tickets staff pages] presence is shown to other agents and streamed; new customer messages stream to the ticket and the queue", async () => {
  await withStack(async (stack) => {
    const [a, b] = [await staff(stack, "agent"), await staff(stack, "agent")];
    const dept = await department("staff");
    const eli = await customer(stack, "eli");
    const ticket = await open(eli.claims, dept.code, "presence");
    const page = `/admin/tickets/${ticket.id}`;

    await html(a.client, page);
    assertStringIncludes(await html(b.client, page), `${a.email} is viewing this ticket`);
    const replying = await a.client.post(`${page}/presence`, { state: "replying" });
    assertEquals(replying.status, 204);
    assertStringIncludes(await html(b.client, page), `${a.email} is replying`);

    // b's open ticket stream: a's presence now, then the customer's new message.
    const stream = await b.client.get(`${page}/events`, { accept: "text/event-stream" });
    assertEquals(stream.headers.get("content-type")?.startsWith("text/event-stream"), true);
    const queue = await b.client.get("/admin/tickets/events", { accept: "text/event-stream" });
    const sent = (async () => {
      await new Promise((r) => setTimeout(r, 500));
      await asUser(eli.claims, (tx) => postMessage(tx, ticket.id, "any news on my top-up?"));
    })();
    const [ticketEvents, queueEvents] = await Promise.all([
      readUntil(stream, /event: message\ndata: .*any news on my top-up/),
      readUntil(queue, new RegExp(`event: message\\ndata: .*"number":"${ticket.number}"`)),
      sent,
    ]);
    assertStringIncludes(ticketEvents, `event: presence\ndata: [{"email":"${a.email}","state":"replying"}]`);
    assertStringIncludes(ticketEvents, '"author_role":"customer"');
    assertStringIncludes(queueEvents, '"subject":"presence"');

    // Leaving clears it: once b's stream is closed, b's presence row goes (a's stays).
    const present = async (userId: string) =>
      (await sql<{ n: number }>`select count(*)::int as n from public.ticket_presence
        where ticket_id = ${ticket.id} and user_id = ${userId}`.execute(db())).rows[0].n;
    for (let n = 0; n < 50 && await present(b.id) > 0; n++) await new Promise((r) => setTimeout(r, 100));
    assertEquals([await present(b.id), await present(a.id)], [0, 1]);
  });
});
