import { assert, assertEquals, assertRejects } from "@std/assert";
import { sql } from "kysely";
import { anonClaims, asService, asUser, createUser, db } from "../_support/db.ts";
import { enforceRateLimits, hitRateLimit, limitKeys, retryAfterOf } from "../../lib/rate_limit/enforce.ts";

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

Deno.test("[rate limit] per IP — counted for a public address, keyed without the raw email", async () => {
  const ip = `198.51.100.${Math.floor(Math.random() * 250) + 1}`;
  const keys = await limitKeys("signin", { ip, email: "Someone@Example.com" });
  assertEquals(keys.map((k) => k.key.split(":").slice(0, 2).join(":")), ["signin:ip", "signin:email"]);
  assert(!keys[1].key.includes("example"), "the email is stored only as a digest");
  assertEquals(keys[1].key, (await limitKeys("signin", { email: "someone@example.com" }))[0].key);
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
