/**
 * Who a transfer can reach and what a sender learns on the way (issue 11, items 1 and 4): phones route money
 * only when verified, the confirmation names the recipient by a masked, verified address, failed look-ups
 * count against one limit on every path, and an unaffordable transfer never says whether a recipient exists.
 */
import { assert, assertEquals, assertStringIncludes } from "@std/assert";
import { sql } from "kysely";
import type { Stack } from "../../local/stack.ts";
import { db } from "../_support/db.ts";
import { fund, walletOf } from "../_support/ledger.ts";
import { assertLedgerInvariants } from "../_support/invariants.ts";
import { PREVIEW_LIMIT } from "../../lib/wallet/recipient.ts";
import { Client, signIn } from "./auth_http_client.ts";
import { api, type Caller, caller, withApiStack } from "./wallet_api_client.ts";

async function browser(stack: Stack, who: Caller, locale: "fa" | "en" = "en"): Promise<Client> {
  const client = new Client(stack.appUrl);
  await signIn(client, who);
  client.cookies.set("locale", locale);
  return client;
}

const mobile = () => `912${String(Math.floor(Math.random() * 1e7)).padStart(7, "0")}`;

async function verifyPhone(userId: string, subscriber: string) {
  await sql`update auth.users set phone = ${"98" + subscriber}, phone_confirmed_at = now()
    where id = ${userId}::uuid`.execute(db());
}

Deno.test("[transfer recipients] phones, confirmation and look-up limits on every path", async (t) => {
  await withApiStack(async (stack) => {
    const [sara, victim, mallory] = [
      await caller(stack, "Sara"),
      await caller(stack, "Victim"),
      await caller(stack, "Mallory"),
    ];
    await fund(sara.id, 1_000_000n);
    const client = await browser(stack, sara);
    const victimPhone = mobile();

    await t.step("form — a number saved on someone's profile is refused with a clear message", async () => {
      await sql`update public.profiles set phone = ${"0" + victimPhone}, full_name = 'Victim'
        where id = ${mallory.id}::uuid`.execute(db());
      const res = await client.post("/wallet/transfer", {
        recipient: `0${victimPhone}`,
        tomans: "10",
        key: crypto.randomUUID(),
      });
      assertEquals(res.status, 422);
      const page = await res.text();
      assertStringIncludes(page, "reach only numbers their owners have verified");
      assert(!page.includes("Victim"), "the profile's name is not offered as the recipient");
      const fa = await (await browser(stack, sara, "fa")).post("/wallet/transfer", {
        recipient: `۰${victimPhone.replace(/[0-9]/g, (d) => "۰۱۲۳۴۵۶۷۸۹"[Number(d)])}`,
        tomans: "10",
        key: crypto.randomUUID(),
      });
      assertEquals(fa.status, 422);
      assertStringIncludes(await fa.text(), "تأیید نشده است");
    });

    await t.step(
      "API — the same number is refused as recipient_phone_unverified, in the caller's language",
      async () => {
        for (const locale of ["en", "fa"] as const) {
          const res = await api(stack, "POST", "/api/v1/wallet/transfers", {
            as: sara,
            key: crypto.randomUUID(),
            json: { to: `+98 ${victimPhone}`, amount: 100 },
            locale,
          });
          assertEquals([res.status, res.body.error.code], [422, "recipient_phone_unverified"]);
          assertStringIncludes(res.body.error.message, locale === "en" ? "verified" : "تأیید");
        }
        assertEquals((await walletOf(mallory.id)).balance, 0n);
      },
    );

    await t.step(
      "form — a verified number: the confirmation shows it masked with a verified mark",
      async () => {
        await verifyPhone(victim.id, victimPhone);
        const fields = { recipient: `0${victimPhone}`, tomans: "10", key: crypto.randomUUID() };
        const res = await client.post("/wallet/transfer", fields);
        assertEquals(res.status, 200);
        const page = await res.text();
        assertStringIncludes(page, `0${victimPhone.slice(0, 3)}•••${victimPhone.slice(6)}`);
        const shown = page.replace(/<input[^>]*>/g, ""); // the hidden fields carry what the payer typed
        assert(!shown.includes(victimPhone.slice(3)), "the number is masked");
        assertStringIncludes(page, "Verified mobile number");
        assertStringIncludes(page, 'id="confirm-verified" data-verified="true"');
        const done = await client.post("/wallet/transfer/confirm", fields);
        assertEquals(done.status, 303);
        assertEquals((await walletOf(victim.id)).balance, 100n);
        assertEquals((await walletOf(mallory.id)).balance, 0n);
      },
    );

    await t.step("form — by email: a masked address and whether it is verified", async () => {
      const res = await client.post("/wallet/transfer", {
        recipient: victim.email,
        tomans: "10",
        key: crypto.randomUUID(),
      });
      const page = await res.text();
      assertStringIncludes(page, `v***@${victim.email.split("@")[1]}`);
      assertStringIncludes(page, "Verified email");
      await sql`update auth.users set email_confirmed_at = null where id = ${mallory.id}::uuid`.execute(db());
      const unconfirmed = await (await client.post("/wallet/transfer", {
        recipient: mallory.email,
        tomans: "10",
        key: crypto.randomUUID(),
      })).text();
      assertStringIncludes(unconfirmed, "Email not verified");
      assert(!unconfirmed.includes('data-verified="true"'));
    });

    await t.step("every path — a sender who cannot pay is told so, whoever the recipient is", async () => {
      const poor = await caller(stack, "Poor");
      await fund(poor.id, 50n);
      const poorClient = await browser(stack, poor);
      for (const recipient of [victim.email, "ghost-0@test.pishkhan.local", `0${mobile()}`]) {
        const res = await api(stack, "POST", "/api/v1/wallet/transfers", {
          as: poor,
          key: crypto.randomUUID(),
          json: { to: recipient, amount: 1_000 },
        });
        assertEquals([res.status, res.body.error.code], [422, "insufficient_funds"], recipient);
        for (const path of ["/wallet/transfer", "/wallet/transfer/confirm"]) {
          const form = await poorClient.post(path, { recipient, tomans: "100", key: crypto.randomUUID() });
          assertEquals(form.status, 422, `${path} ${recipient}`);
          const html = await form.text();
          assertStringIncludes(html, "does not cover", `${path} ${recipient}`);
          assert(!html.includes("No Pishkhan user"), `${path} ${recipient}`);
        }
      }
    });

    // Each path gets a fresh prober, so each one is shown to count on its own.
    const probe = async (
      name: string,
      attempt: (who: Caller, client: Client, i: number) => Promise<number>,
    ) => {
      const who = await caller(stack, name);
      await fund(who.id, 1_000_000n);
      const whoClient = await browser(stack, who);
      const statuses: number[] = [];
      for (let i = 0; i <= PREVIEW_LIMIT.max; i++) statuses.push(await attempt(who, whoClient, i));
      return { who, whoClient, statuses };
    };

    await t.step("API — failed look-ups count against the limit; past it the API answers 429", async () => {
      const { who, whoClient, statuses } = await probe(
        "ApiProber",
        async (who, _c, i) =>
          (await api(stack, "POST", "/api/v1/wallet/transfers", {
            as: who,
            key: crypto.randomUUID(),
            json: { to: `ghost-api-${i}@test.pishkhan.local`, amount: 10 },
          })).status,
      );
      assertEquals(statuses.slice(0, PREVIEW_LIMIT.max), Array(PREVIEW_LIMIT.max).fill(404));
      assertEquals(statuses.at(-1), 429);
      // The limit is one: the form's preview is used up too; a transfer that finds its recipient still posts.
      const preview = await whoClient.post("/wallet/transfer", {
        recipient: victim.email,
        tomans: "10",
        key: crypto.randomUUID(),
      });
      assertEquals(preview.status, 429);
      await preview.body?.cancel();
      const ok = await api(stack, "POST", "/api/v1/wallet/transfers", {
        as: who,
        key: crypto.randomUUID(),
        json: { to: victim.email, amount: 10 },
      });
      assertEquals(ok.status, 201);
    });

    await t.step(
      "form confirm — failed look-ups count against the limit; past it the form answers 429",
      async () => {
        const { statuses } = await probe("FormProber", async (_w, whoClient, i) => {
          const res = await whoClient.post("/wallet/transfer/confirm", {
            recipient: `ghost-form-${i}@test.pishkhan.local`,
            tomans: "1",
            key: crypto.randomUUID(),
          });
          await res.body?.cancel();
          return res.status;
        });
        assertEquals(statuses.slice(0, PREVIEW_LIMIT.max), Array(PREVIEW_LIMIT.max).fill(422));
        assertEquals(statuses.at(-1), 429);
      },
    );

    await t.step("API — unverified phones count as failed look-ups too", async () => {
      const { statuses } = await probe(
        "PhoneProber",
        async (who, _c) =>
          (await api(stack, "POST", "/api/v1/wallet/transfers", {
            as: who,
            key: crypto.randomUUID(),
            json: { to: `0${mobile()}`, amount: 10 },
          })).status,
      );
      assertEquals(statuses.at(-1), 429);
      assertEquals(new Set(statuses.slice(0, PREVIEW_LIMIT.max)), new Set([422]));
    });

    await t.step(
      "form preview — unverified phones count too (the count commits with the refusal)",
      async () => {
        const { statuses } = await probe("PreviewProber", async (_w, whoClient) => {
          const res = await whoClient.post("/wallet/transfer", {
            recipient: `0${mobile()}`,
            tomans: "1",
            key: crypto.randomUUID(),
          });
          await res.body?.cancel();
          return res.status;
        });
        assertEquals(new Set(statuses.slice(0, PREVIEW_LIMIT.max)), new Set([422]));
        assertEquals(statuses.at(-1), 429);
      },
    );

    await assertLedgerInvariants();
  });
});
