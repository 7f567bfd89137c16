import { assert, assertEquals, assertStringIncludes } from "@std/assert";
import { sql } from "kysely";
import { db } from "../_support/db.ts";
import { limitKeys, RATE_LIMITS, SIGNIN_DELAY, signinDelayKeys } from "../../lib/rate_limit/enforce.ts";
import { Client, createAccount, withStack } from "./auth_http_client.ts";

/** Moves a limit's window into the past, as if its time had run out. */
async function expire(key: string) {
  await sql`update private.rate_limits set expires_at = now() - interval '1 second' where key = ${key}`
    .execute(db());
}

Deno.test("[rate limit] sign-in per email and place — 429 with a short Retry-After, never a lockout of the owner elsewhere", async () => {
  await withStack(async (stack) => {
    const account = await createAccount(stack, "hammered");
    const attackerIp = `198.51.100.${Math.floor(Math.random() * 250) + 1}`;
    const client = new Client(stack.appUrl, { "accept-language": "en", "x-forwarded-for": attackerIp });
    for (let i = 0; i <= SIGNIN_DELAY.free; i++) {
      const res = await client.post("/signin", { email: account.email, password: `Wrong-${i}-x` });
      assertEquals(res.status, 400, `attempt ${i + 1}`);
      await res.body?.cancel();
    }
    const limited = await client.post("/signin", { email: account.email, password: account.password });
    assertEquals(limited.status, 429);
    const retryAfter = Number(limited.headers.get("retry-after"));
    assert(retryAfter > 0 && retryAfter <= SIGNIN_DELAY.baseSeconds, `Retry-After ${retryAfter}`);
    assertStringIncludes(await limited.text(), "Too many attempts. Please try again in");
    // The owner, from another place, signs in at once: guessing elsewhere locks nobody out.
    const owner = new Client(stack.appUrl, { "accept-language": "en", "x-forwarded-for": "203.0.113.77" });
    assertEquals(
      (await owner.post("/signin", { email: account.email, password: account.password })).status,
      303,
    );
    // Another address from the attacker's place is not slowed by the first one's delay.
    const other = await createAccount(stack, "bystander");
    assertEquals(
      (await client.post("/signin", { email: other.email, password: other.password })).status,
      303,
    );
    // Once the wait is over, the attacker's place may try again (the delay grows, it does not lock).
    const { wait } = await signinDelayKeys({ ip: attackerIp, email: account.email });
    await expire(wait);
    const again = await client.post("/signin", { email: account.email, password: account.password });
    assertEquals(again.status, 303);
  });
});

Deno.test("[rate limit] magic link per IP — one address behind a proxy is limited across many emails", async () => {
  await withStack(async (stack) => {
    const ip = `198.51.100.${Math.floor(Math.random() * 250) + 1}`;
    const client = new Client(stack.appUrl, { "accept-language": "en", "x-forwarded-for": ip });
    const max = RATE_LIMITS.magic.ip.max;
    for (let i = 0; i < max; i++) {
      const res = await client.post("/auth/magic", {
        email: `spray-${i}-${crypto.randomUUID()}@test.pishkhan.local`,
      });
      assertEquals(res.status, 303, `attempt ${i + 1}`);
    }
    const limited = await client.post("/auth/magic", {
      email: `spray-last-${crypto.randomUUID()}@test.pishkhan.local`,
    });
    assertEquals(limited.status, 429);
    assert(Number(limited.headers.get("retry-after")) > 0);
    await limited.body?.cancel();
    // Someone else, elsewhere, can still ask for a link.
    const elsewhere = new Client(stack.appUrl, { "x-forwarded-for": "203.0.113.200" });
    assertEquals((await elsewhere.post("/auth/magic", { email: "someone@test.pishkhan.local" })).status, 303);
    const [{ key }] = await limitKeys("magic", { ip });
    await expire(key);
    assertEquals((await client.post("/auth/magic", { email: "after@test.pishkhan.local" })).status, 303);
  });
});

Deno.test("[rate limit] sign-up and recovery — per-email limits answer 429 on the form", async () => {
  await withStack(async (stack) => {
    const email = `repeat-${crypto.randomUUID().slice(0, 8)}@test.pishkhan.local`;
    const client = new Client(stack.appUrl, { "accept-language": "en" });
    const statuses: number[] = [];
    for (let i = 0; i <= RATE_LIMITS.recover.email.max; i++) {
      const res = await client.post("/auth/forgot", { email });
      statuses.push(res.status);
      await res.body?.cancel();
    }
    assertEquals(statuses.at(-1), 429);
    assert(statuses.slice(0, -1).every((s) => s === 303), statuses.join());
    const [{ key }] = await limitKeys("signup", { email });
    await sql`insert into private.rate_limits (key, window_start, expires_at, hits)
              values (${key}, now(), now() + interval '1 hour', 99)`.execute(db());
    const signup = await client.post("/auth/signup", {
      full_name: "R",
      email,
      password: "Str0ngPass",
      password_confirm: "Str0ngPass",
    });
    assertEquals(signup.status, 429);
    assertStringIncludes(await signup.text(), "Too many attempts");
  });
});
