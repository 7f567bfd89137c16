/**
 * The customer ticket pages over HTTP against the whole local stack (Auth, Storage stand-in, app): open a
 * ticket with a screenshot, list/search/filter with keyset pages, reply with a file, close, reopen within
 * and after 7 days, rate once, a stranger gets 404, oversize and wrong-type files refused with a clear
 * message and nothing written, signed download URLs that work and expire.
 */
import { assert, assertEquals, assertMatch, assertStringIncludes } from "@std/assert";
import { PNG } from "../_support/files.ts";
import { sql } from "kysely";
import type { Stack } from "../../local/stack.ts";
import { asUser, db } from "../_support/db.ts";
import { verifyAccessToken } from "../../lib/auth/tokens.ts";
import { changeStatus, openTicket, postMessage } from "../../lib/tickets/store.ts";
import { signedLinks } from "../../lib/tickets/attachments.ts";
import { createPending } from "../../lib/payments/store.ts";
import { Client, signIn } from "./auth_http_client.ts";
import { multipart } from "../_support/tickets.ts";
import { type Caller, caller, withApiStack } from "./wallet_api_client.ts";

async function browser(stack: Stack, who: Caller, locale: "fa" | "en" = "en"): Promise<Client> {
  const client = new Client(stack.appUrl);
  await signIn(client, who);
  client.cookies.set("locale", locale);
  return client;
}

const ticketsOf = async (userId: string) =>
  (await sql<{ n: number }>`select count(*)::int as n from public.tickets where customer_id = ${userId}`
    .execute(db())).rows[0].n;
const rowsIn = (html: string) => html.match(/data-ticket="\d+"/g)?.length ?? 0;
const idFrom = (res: Response) => /^\/tickets\/(\d+)\?notice=/.exec(res.headers.get("location") ?? "")?.[1];
const unescape = (s: string) => s.replaceAll("&amp;", "&");

Deno.test("[tickets pages] a customer's help desk over HTTP", async (t) => {
  await withApiStack(async (stack) => {
    const cara = await caller(stack, "Cara");
    const sam = await caller(stack, "Sam");
    const agent = await caller(stack, "Agent", "agent");
    const client = await browser(stack, cara);
    let ticketId = "";
    let screenshotPath = "";

    await t.step("anonymous — /tickets and its forms send people to sign in", async () => {
      for (const path of ["/tickets", "/tickets/new", "/tickets/1"]) {
        const res = await new Client(stack.appUrl).get(path);
        assertEquals(res.status, 303, path);
        assertMatch(res.headers.get("location")!, /^\/signin\?next=/);
      }
    });

    await t.step(
      "open — department, priority, subject, body and a screenshot; the thread shows it",
      async () => {
        const form = await (await client.get("/tickets/new")).text();
        assertStringIncludes(form, 'enctype="multipart/form-data"');
        assertStringIncludes(form, 'name="files"');
        const res = await multipart(client, "/tickets/new", {
          department: "payments",
          priority: "high",
          subject: "Top-up charged but wallet empty",
          body: "I paid 50,000 tomans; the receipt is attached.",
          link: "",
        }, [new File([PNG], "رسید بانک.png", { type: "image/png" })]);
        assertEquals(res.status, 303, await res.text());
        ticketId = idFrom(res)!;
        assert(ticketId, res.headers.get("location")!);
        const { rows } = await sql<
          { path: string; name: string; size: string; mime: string; message_id: string | null }
        >`
        select path, name, size, mime, message_id from public.ticket_attachments where ticket_id = ${ticketId}`
          .execute(db());
        assertEquals(rows.length, 1);
        assertMatch(rows[0].path, new RegExp(`^${ticketId}/[0-9a-f-]{36}\\.png$`));
        assertEquals([rows[0].name, Number(rows[0].size), rows[0].mime, rows[0].message_id], [
          "رسید بانک.png",
          PNG.byteLength,
          "image/png",
          null,
        ]);
        screenshotPath = rows[0].path;
        const page = await (await client.get(`/tickets/${ticketId}?notice=opened`)).text();
        assertStringIncludes(page, "Your ticket was sent.");
        assertStringIncludes(page, "Top-up charged but wallet empty");
        assertStringIncludes(page, `data-attachment="${screenshotPath}"`);
        const img = /<img src="([^"]+)" alt="رسید بانک.png"/.exec(page)?.[1];
        assert(img, "a thumbnail through a signed URL");
        assertStringIncludes(
          unescape(img),
          `/storage/v1/object/sign/ticket-attachments/${screenshotPath}?token=`,
        );
        const download = await fetch(unescape(img));
        assertEquals(download.status, 200);
        assertEquals(new Uint8Array(await download.arrayBuffer()), PNG);
      },
    );

    await t.step(
      "files — over 10 MB or of another type are refused with a clear message; nothing is written",
      async () => {
        const before = await ticketsOf(cara.id);
        const big = new Uint8Array(10 * 1024 * 1024 + 1);
        big.set(PNG.subarray(0, 8));
        const fields = {
          department: "general",
          priority: "normal",
          subject: "Too big",
          body: "see file",
          link: "",
        };
        const tooBig = await multipart(client, "/tickets/new", fields, [
          new File([big], "big.png", { type: "image/png" }),
        ]);
        assertEquals(tooBig.status, 413);
        assertStringIncludes(await tooBig.text(), "The file is larger than 10 MB.");
        const wrong = await multipart(client, "/tickets/new", fields, [
          new File([new Uint8Array([0x50, 0x4b, 3, 4, 0, 0])], "stuff.zip", { type: "application/zip" }),
        ]);
        assertEquals(wrong.status, 415);
        const wrongHtml = await wrong.text();
        assertStringIncludes(wrongHtml, "This type of file cannot be attached");
        assertStringIncludes(wrongHtml, 'value="Too big"', "the typed subject is kept");
        const disguised = await multipart(client, "/tickets/new", fields, [
          new File([new Uint8Array([0x4d, 0x5a, 0x90, 0, 3, 0, 0, 0])], "photo.png", { type: "image/png" }),
        ]);
        assertEquals(disguised.status, 415, "bytes that are not a PNG are not accepted as one");
        const fa = await browser(stack, cara, "fa");
        const faBig = await multipart(fa, "/tickets/new", fields, [
          new File([big], "big.png", { type: "image/png" }),
        ]);
        assertEquals(faBig.status, 413);
        assertStringIncludes(await faBig.text(), "بیش از ۱۰ مگابایت");
        assertEquals(await ticketsOf(cara.id), before, "no ticket was opened");
        const reply = await multipart(client, `/tickets/${ticketId}/reply`, { body: "another file" }, [
          new File([new Uint8Array([0x50, 0x4b, 3, 4])], "x.zip", { type: "application/zip" }),
        ]);
        assertEquals(reply.status, 415);
        assertStringIncludes(await reply.text(), "another file", "the reply text is kept");
        const { rows } = await sql<{ n: number }>`select count(*)::int as n from public.ticket_messages
        where ticket_id = ${ticketId}`.execute(db());
        assertEquals(rows[0].n, 0, "no reply was posted");
      },
    );

    await t.step("link — one of my payments is linked; someone else's is refused on the form", async () => {
      const pending = async (who: Caller) =>
        await asUser(await verifyAccessToken(who.token), (tx) =>
          createPending(tx, {
            amount: 500_000n,
            description: "top-up",
            merchantKey: "0123456789abcdef",
            ttlSeconds: 900,
          }));
      const mine = await pending(cara);
      const theirs = await pending(sam);
      const form = await (await client.get("/tickets/new")).text();
      assertStringIncludes(form, `value="payment:${mine}"`);
      assert(!form.includes(`value="payment:${theirs}"`), "only my own payments are offered");
      const fields = {
        department: "payments",
        priority: "normal",
        subject: "Linked",
        body: "about this payment",
      };
      const ok = await multipart(client, "/tickets/new", { ...fields, link: `payment:${mine}` });
      assertEquals(ok.status, 303);
      const { rows } = await sql<{ payment_id: string }>`select payment_id::text from public.tickets
        where id = ${idFrom(ok)!}`.execute(db());
      assertEquals(rows[0].payment_id, mine);
      const before = await ticketsOf(cara.id);
      const refused = await multipart(client, "/tickets/new", { ...fields, link: `payment:${theirs}` });
      assertEquals(refused.status, 422);
      assertStringIncludes(await refused.text(), "not one of yours");
      assertEquals(await ticketsOf(cara.id), before);
    });

    await t.step("list — status filter, Persian-correct search, keyset pages", async () => {
      const claims = await verifyAccessToken(cara.token);
      await asUser(claims, (tx) => openTicket(tx, { subject: "برداشت كارت من انجام نشد", body: "يك هفته" }));
      for (let i = 0; i < 20; i++) {
        await asUser(claims, (tx) => openTicket(tx, { subject: `Question ${i}`, body: "filler" }));
      }
      const first = await (await client.get("/tickets")).text();
      assertEquals(rowsIn(first), 20);
      const next = /href="(\/tickets\?cursor=[^"]+)" rel="next"/.exec(first)?.[1];
      assert(next, "a link to the next page");
      assertEquals(rowsIn(await (await client.get(unescape(next))).text()), 3);
      const found = await (await client.get(`/tickets?q=${encodeURIComponent("کارت")}`)).text();
      assertEquals(rowsIn(found), 1, "Arabic kaf in the subject is found by a Persian kaf");
      assertStringIncludes(found, "برداشت");
      assertEquals(rowsIn(await (await client.get("/tickets?q=receipt+attached")).text()), 1, "body search");
      const none = await (await client.get("/tickets?status=closed")).text();
      assertStringIncludes(none, "No tickets match these filters.");
      assertEquals((await client.get("/tickets?status=lost")).status, 400);
    });

    await t.step("reply — with a text file; close; reopen within 7 days", async () => {
      const res = await multipart(client, `/tickets/${ticketId}/reply`, { body: "Any news?" }, [
        new File(["bank ref 123"], "ref.txt", { type: "text/plain" }),
      ]);
      assertEquals(res.status, 303);
      assertEquals(res.headers.get("location"), `/tickets/${ticketId}?notice=replied`);
      const page = await (await client.get(`/tickets/${ticketId}`)).text();
      assertStringIncludes(page, "Any news?");
      assertMatch(page, /download="ref.txt"/);
      assertEquals(
        (await client.post(`/tickets/${ticketId}/close`, {})).headers.get("location"),
        `/tickets/${ticketId}?notice=closed`,
      );
      const closed = await (await client.get(`/tickets/${ticketId}`)).text();
      assertStringIncludes(closed, 'data-status="closed"');
      assert(!closed.includes(`action="/tickets/${ticketId}/reply"`), "no reply form on a closed ticket");
      assertStringIncludes(closed, `action="/tickets/${ticketId}/reopen"`);
      const refused = await multipart(client, `/tickets/${ticketId}/reply`, { body: "still?" });
      assertEquals(refused.status, 409);
      assertStringIncludes(await refused.text(), "reopen it to reply");
      const reopened = await client.post(`/tickets/${ticketId}/reopen`, {});
      assertEquals(reopened.headers.get("location"), `/tickets/${ticketId}?notice=reopened`);
      assertStringIncludes(await (await client.get(`/tickets/${ticketId}`)).text(), 'data-status="reopened"');
    });

    await t.step("reopen after 7 days — refused with the reason, and not offered", async () => {
      await client.post(`/tickets/${ticketId}/close`, {});
      await sql`update public.tickets set closed_at = now() - interval '8 days' where id = ${ticketId}`
        .execute(db());
      const page = await (await client.get(`/tickets/${ticketId}`)).text();
      assert(!page.includes(`action="/tickets/${ticketId}/reopen"`), "no reopen button after 7 days");
      const res = await client.post(`/tickets/${ticketId}/reopen`, {});
      assertEquals(res.status, 409);
      assertStringIncludes(await res.text(), "within 7 days");
      await sql`update public.tickets set closed_at = now() where id = ${ticketId}`.execute(db());
      await client.post(`/tickets/${ticketId}/reopen`, {});
    });

    await t.step(
      "live — the ticket's stream sends a support reply as rendered thread markup, never a note",
      async () => {
        const res = await client.get(`/tickets/${ticketId}/events`, { accept: "text/event-stream" });
        assertEquals(res.status, 200);
        assertStringIncludes(res.headers.get("content-type") ?? "", "text/event-stream");
        const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
        assertStringIncludes((await reader.read()).value ?? "", ": listening");
        const claims = await verifyAccessToken(agent.token);
        await asUser(
          claims,
          (tx) => postMessage(tx, ticketId, "internal: check the bank log", { internal: true }),
        );
        await asUser(claims, (tx) => postMessage(tx, ticketId, "We credited your wallet."));
        let text = "";
        while (!text.includes("event: message")) text += (await reader.read()).value ?? "";
        await reader.cancel();
        const data = JSON.parse(/data: (.*)/.exec(text)![1]) as { id: string; html: string };
        assertStringIncludes(data.html, "We credited your wallet.");
        assertStringIncludes(data.html, 'data-author-role="staff"');
        assert(!text.includes("bank log"), "the internal note is never streamed");
        const stranger = await (await browser(stack, sam)).get(`/tickets/${ticketId}/events`);
        assertEquals(stranger.status, 404);
        await stranger.body?.cancel();
      },
    );

    await t.step("rate — only once it is resolved, and only once", async () => {
      const early = await client.post(`/tickets/${ticketId}/rate`, { score: "5" });
      assertEquals(early.status, 409);
      assertStringIncludes(await early.text(), "once it is resolved or closed");
      await asUser(await verifyAccessToken(agent.token), (tx) => changeStatus(tx, ticketId, "resolved"));
      const page = await (await client.get(`/tickets/${ticketId}`)).text();
      assertStringIncludes(page, `action="/tickets/${ticketId}/rate"`);
      assertEquals((await client.post(`/tickets/${ticketId}/rate`, { score: "9" })).status, 400);
      const rated = await client.post(`/tickets/${ticketId}/rate`, { score: "4", comment: "quick, thanks" });
      assertEquals(rated.headers.get("location"), `/tickets/${ticketId}?notice=rated`);
      const after = await (await client.get(`/tickets/${ticketId}`)).text();
      assertStringIncludes(after, 'data-score="4"');
      assert(!after.includes(`action="/tickets/${ticketId}/rate"`), "the rating form is gone");
      const again = await client.post(`/tickets/${ticketId}/rate`, { score: "1" });
      assertEquals(again.status, 409);
      assertStringIncludes(await again.text(), "already rated");
      const { rows } = await sql<{ csat_score: number; csat_comment: string }>`
        select csat_score, csat_comment from public.tickets where id = ${ticketId}`.execute(db());
      assertEquals(rows[0], { csat_score: 4, csat_comment: "quick, thanks" });
    });

    await t.step("stranger — 404 for the page and every action; no signed URL for its files", async () => {
      const stranger = await browser(stack, sam);
      const page = await stranger.get(`/tickets/${ticketId}`);
      assertEquals(page.status, 404);
      await page.body?.cancel();
      for (const action of ["close", "reopen", "rate"]) {
        const res = await stranger.post(`/tickets/${ticketId}/${action}`, { score: "1" });
        assertEquals(res.status, 404, action);
        await res.body?.cancel();
      }
      const reply = await multipart(stranger, `/tickets/${ticketId}/reply`, { body: "hi" });
      assertEquals(reply.status, 404);
      await reply.body?.cancel();
      assertEquals(rowsIn(await (await stranger.get("/tickets")).text()), 0);
      assertEquals(await signedLinks(sam.token, [screenshotPath]), {});
      const direct = await fetch(
        `${stack.gatewayUrl}/storage/v1/object/authenticated/ticket-attachments/${screenshotPath}`,
        {
          headers: { apikey: stack.keys.publishableKey, authorization: `Bearer ${sam.token}` },
        },
      );
      assertEquals(direct.status, 400, "NoSuchKey, as hosted answers a row RLS hides");
      await direct.body?.cancel();
    });

    await t.step("signed URLs — download while valid, refused once expired", async () => {
      // A signed URL's expiry is whole seconds from its issue time rounded down (as Storage signs it), so one
      // asked for 1 s may be valid for only a few ms on a busy machine: 3 s is valid for at least 2.
      const links = await signedLinks(cara.token, [screenshotPath], 3);
      const url = links[screenshotPath];
      assert(url, "the customer gets a signed URL");
      const ok = await fetch(url);
      assertEquals(ok.status, 200);
      assertEquals(new Uint8Array(await ok.arrayBuffer()), PNG);
      await new Promise((r) => setTimeout(r, 3100));
      const expired = await fetch(url);
      assertEquals(expired.status, 400);
      assertStringIncludes(await expired.text(), "xp");
      const staff = await signedLinks(agent.token, [screenshotPath]);
      assert(staff[screenshotPath], "staff get one too");
    });
  });
});
