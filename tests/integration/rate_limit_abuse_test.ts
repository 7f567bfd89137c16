/**
 * Rate limits as an abuser meets them over HTTP (issue 11, item 10): guessing a known user's password from
 * one place must not lock the owner out everywhere, and rotating addresses inside one IPv6 /64 must not
 * escape a per-IP limit. Plain numbers on purpose: the behaviour, not the configuration, is under test.
 */
import { assertEquals } from "@std/assert";
import { Client, createAccount } from "./auth_http_client.ts";
import { withApiStack } from "./wallet_api_client.ts";

Deno.test("[rate limit] abuse — a dozen wrong passwords from one place do not lock the owner out elsewhere", async () => {
  await withApiStack(async (stack) => {
    const victim = await createAccount(stack, "victim");
    const attacker = new Client(stack.appUrl, {
      "accept-language": "en",
      "x-forwarded-for": "198.51.100.66",
    });
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      const res = await attacker.post("/signin", { email: victim.email, password: `Guess-${i}-x` });
      statuses.push(res.status);
      await res.body?.cancel();
    }
    // The attacker is slowed down (429 with a short wait) ...
    assertEquals(statuses.at(-1), 429, statuses.join());
    // ... while the owner, from home, signs in at once.
    const owner = new Client(stack.appUrl, { "accept-language": "en", "x-forwarded-for": "203.0.113.45" });
    const res = await owner.post("/signin", { email: victim.email, password: victim.password });
    await res.body?.cancel();
    assertEquals(res.status, 303);
  });
});

Deno.test("[rate limit] abuse — new addresses inside one IPv6 /64 count as one place", async () => {
  await withApiStack(async (stack) => {
    const net = `2001:db8:${Math.floor(Math.random() * 0xfff0).toString(16)}:42`;
    const statuses: number[] = [];
    for (let i = 1; i <= 12; i++) {
      const client = new Client(stack.appUrl, { "x-forwarded-for": `${net}::${i.toString(16)}` });
      const res = await client.post("/auth/magic", {
        email: `rotate-${i}-${crypto.randomUUID()}@test.pishkhan.local`,
      });
      statuses.push(res.status);
      await res.body?.cancel();
    }
    assertEquals(statuses.slice(0, 10), Array(10).fill(303), statuses.join());
    assertEquals(statuses.slice(10), [429, 429], statuses.join());
  });
});

Deno.test("[rate limit] owner — signing in (or re-authenticating) a dozen times from one place is never slowed", async () => {
  await withApiStack(async (stack) => {
    const owner = await createAccount(stack, "frequent");
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      const client = new Client(stack.appUrl, { "accept-language": "en", "x-forwarded-for": "203.0.113.77" });
      const res = await client.post("/signin", { email: owner.email, password: owner.password });
      statuses.push(res.status);
      await res.body?.cancel();
    }
    // Only failures build up the delay: the right password starts the count again each time.
    assertEquals(statuses, Array(12).fill(303), statuses.join());
  });
});
