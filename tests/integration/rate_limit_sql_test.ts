import { assert, assertEquals, assertRejects } from "@std/assert";
import { sql } from "kysely";
import { anonClaims, asService, asUser, createUser, db } from "../_support/db.ts";
import {
  enforceRateLimits,
  hitRateLimit,
  limitKeys,
  retryAfterOf,
  SIGNIN_DELAY,
  signinDelayKeys,
  signinDelaySeconds,
} from "../../lib/rate_limit/enforce.ts";
import { limitSubject } from "../../lib/auth/request_context.ts";

const key = (name: string) => `test:${name}:${crypto.randomUUID()}`;

Deno.test("[rate limit] window — allows max hits, refuses the next with the seconds left, then recovers", async () => {
  const k = key("window");
  const rule = { max: 3, windowSeconds: 2 };
  const results = [];
  for (let i = 0; i < 4; i++) results.push(await asService((tx) => hitRateLimit(tx, k, rule)));
  assertEquals(results.map((r) => r.allowed), [true, true, true, false]);
  assertEquals(results.map((r) => r.hits), [1, 2, 3, 4]);
  assert(results[3].retryAfter >= 1 && results[3].retryAfter <= 2, `retry after ${results[3].retryAfter}`);
  await new Promise((resolve) => setTimeout(resolve, 2100));
  const after = await asService((tx) => hitRateLimit(tx, k, rule));
  assertEquals(after, { allowed: true, hits: 1, retryAfter: 0 });
});

Deno.test("[rate limit] concurrency — parallel hits from several connections are all counted", async () => {
  const k = key("parallel");
  const rule = { max: 5, windowSeconds: 60 };
  const results = await Promise.all(
    Array.from({ length: 12 }, () => asService((tx) => hitRateLimit(tx, k, rule))),
  );
  assertEquals(results.filter((r) => r.allowed).length, 5);
  assertEquals(results.map((r) => r.hits).sort((a, b) => a - b), Array.from({ length: 12 }, (_, i) => i + 1));
});

Deno.test("[rate limit] per email — the sixth sign-up for one address is refused, other addresses are not", async () => {
  const email = `limited-${crypto.randomUUID().slice(0, 8)}@test.pishkhan.local`;
  for (let i = 0; i < 5; i++) await enforceRateLimits("signup", { email: email.toUpperCase() });
  const error = await assertRejects(() => enforceRateLimits("signup", { email }));
  const retryAfter = retryAfterOf(error);
  assertEquals((error as { status?: number }).status, 429);
  assert(retryAfter !== undefined && retryAfter > 3000 && retryAfter <= 3600, `retry after ${retryAfter}`);
  await enforceRateLimits("signup", { email: `other-${email}` });
});

Deno.test("[rate limit] per IP — counted for a public address; sign-in has no per-email lockout key", async () => {
  const ip = `198.51.100.${Math.floor(Math.random() * 250) + 1}`;
  const keys = await limitKeys("signin", { ip, email: "Someone@Example.com" });
  assertEquals(keys.map((k) => k.key), [`signin:ip:${ip}`]);
  const magic = await limitKeys("magic", { ip, email: "Someone@Example.com" });
  assertEquals(magic.map((k) => k.key.split(":").slice(0, 2).join(":")), ["magic:ip", "magic:email"]);
  assert(!magic[1].key.includes("example"), "the email is stored only as a digest");
  assertEquals(magic[1].key, (await limitKeys("magic", { email: "someone@example.com" }))[0].key);
  const delay = await signinDelayKeys({ ip, email: "Someone@Example.com" });
  assert(!delay.attempts.includes("example") && !delay.attempts.includes(ip), delay.attempts);
});

Deno.test("[rate limit] IPv6 — per-IP limits count a whole /64, not each address in it", async () => {
  assertEquals(limitSubject("2001:db8:1:2::1"), "2001:db8:1:2::/64");
  assertEquals(limitSubject("2001:0db8:0001:0002:ffff:ffff:ffff:ffff"), "2001:db8:1:2::/64");
  assertEquals(limitSubject("2001:db8::"), "2001:db8:0:0::/64");
  assertEquals(limitSubject("::ffff:1.2.3.4"), "0:0:0:0::/64");
  assertEquals(limitSubject("203.0.113.7"), "203.0.113.7");
  const net = `2001:db8:${Math.floor(Math.random() * 0xffff).toString(16)}:7`;
  const [a] = await limitKeys("magic", { ip: `${net}::1` });
  const [b] = await limitKeys("magic", { ip: `${net}:dead:beef:cafe:f00d` });
  assertEquals(a.key, b.key);
  // Rotating addresses inside one /64 does not escape the limit.
  for (let i = 0; i < 10; i++) await enforceRateLimits("magic", { ip: `${net}::${(i + 1).toString(16)}` });
  const error = await assertRejects(() => enforceRateLimits("magic", { ip: `${net}::ffff` }));
  assertEquals((error as { status?: number }).status, 429);
});

Deno.test("[rate limit] sign-in — growing delays per email and place, no lockout of the address elsewhere", async () => {
  const email = `guessed-${crypto.randomUUID().slice(0, 8)}@test.pishkhan.local`;
  const attacker = `198.51.100.${Math.floor(Math.random() * 250) + 1}`;
  for (let i = 1; i <= SIGNIN_DELAY.free + 1; i++) await enforceRateLimits("signin", { ip: attacker, email });
  const error = await assertRejects(() => enforceRateLimits("signin", { ip: attacker, email }));
  const retryAfter = retryAfterOf(error);
  assert(retryAfter !== undefined && retryAfter <= SIGNIN_DELAY.baseSeconds, `retry after ${retryAfter}`);
  // The owner, from their own place, is not locked out by someone else's guessing.
  for (let i = 0; i < 3; i++) await enforceRateLimits("signin", { ip: "203.0.113.9", email });
  assertEquals([5, 6, 7, 8, 20].map(signinDelaySeconds), [0, 2, 4, 8, SIGNIN_DELAY.maxSeconds]);
});

Deno.test("[rate limit] access — users and anonymous visitors cannot call the limiter or read its table", async () => {
  const user = await createUser("limiter");
  for (const claims of [user.claims, anonClaims]) {
    await assertRejects(
      () =>
        asUser(
          claims,
          (tx) => sql`select * from private.hit_rate_limit('x', interval '1 minute', 1)`.execute(tx),
        ),
      "permission denied",
    );
    await assertRejects(
      () => asUser(claims, (tx) => sql`select * from private.rate_limits`.execute(tx)),
      "permission denied",
    );
  }
  await assertRejects(
    () => sql`select * from private.hit_rate_limit('x', interval '0 seconds', 1)`.execute(db()),
    "window must be positive",
  );
});

Deno.test("[rate limit] cleanup — pg_cron prunes expired windows", async () => {
  const { rows } = await sql<{ schedule: string }>`
    select schedule from cron.job where jobname = 'rate-limits-prune'`.execute(db());
  assertEquals(rows, [{ schedule: "*/10 * * * *" }]);
});
