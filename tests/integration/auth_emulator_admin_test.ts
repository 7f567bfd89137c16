/** The Auth emulator's admin API through supabase-js (auth.admin.*), invites, links, bans, and the seeded accounts. */
import { createClient } from "@supabase/supabase-js";
import { decodeJwt } from "jose";
import { assert, assertEquals, assertMatch } from "@std/assert";
import { serveAuthEmulator } from "../../local/auth/testing.ts";
import { seedAccounts, SEEDED_ACCOUNTS } from "../../local/seed_accounts.ts";
import type { Stack } from "../../local/stack.ts";

const PASSWORD = "Correct-Horse-9";
const emu = await serveAuthEmulator();
addEventListener("unload", () => void emu.stop());

const admin = createClient(emu.url, emu.keys.secretKey, {
  auth: { persistSession: false, autoRefreshToken: false },
});
let ipCounter = 0;
const client = () =>
  createClient(emu.url, emu.keys.publishableKey, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    global: { headers: { "x-forwarded-for": `10.5.0.${++ipCounter}` } },
  });
const newEmail = (name: string) => `${name}-${crypto.randomUUID().slice(0, 8)}@test.pishkhan.local`;

Deno.test("[auth emulator] admin — create, get, update, delete; duplicates are email_exists", async () => {
  const email = newEmail("managed");
  const created = await admin.auth.admin.createUser({
    email,
    password: PASSWORD,
    email_confirm: true,
    user_metadata: { full_name: "Managed" },
    app_metadata: { plan: "gold" },
  });
  assertEquals(created.error, null);
  const user = created.data.user!;
  assert(user.email_confirmed_at);
  assertEquals(user.app_metadata, { provider: "email", providers: ["email"], plan: "gold" });
  assertEquals(user.user_metadata.full_name, "Managed");

  const dup = await admin.auth.admin.createUser({ email, password: PASSWORD });
  assertEquals([dup.error?.status, dup.error?.code], [422, "email_exists"]);
  const none = await admin.auth.admin.createUser({ password: PASSWORD });
  assertEquals(none.error?.code, "validation_failed");

  assertEquals((await admin.auth.admin.getUserById(user.id)).data.user?.email, email);
  const missing = await admin.auth.admin.getUserById(crypto.randomUUID());
  assertEquals([missing.error?.status, missing.error?.code], [404, "user_not_found"]);

  const updated = await admin.auth.admin.updateUserById(user.id, {
    user_metadata: { full_name: "Renamed" },
    app_metadata: { plan: null },
  });
  assertEquals(updated.data.user?.user_metadata.full_name, "Renamed");
  assertEquals(updated.data.user?.app_metadata.plan, undefined);
  const weak = await admin.auth.admin.updateUserById(user.id, { password: "weak" });
  assertEquals(weak.error?.code, "weak_password");

  assertEquals((await admin.auth.admin.deleteUser(user.id)).error, null);
  assertEquals((await admin.auth.admin.getUserById(user.id)).error?.code, "user_not_found");
  const [row] = await emu.sql`select count(*)::int as n from auth.identities where user_id = ${user.id}`;
  assertEquals(row.n, 0, "a hard delete cascades");
});

Deno.test("[auth emulator] admin — listUsers pages with the X-Total-Count and Link headers supabase-js parses", async () => {
  for (let i = 0; i < 3; i++) {
    await admin.auth.admin.createUser({ email: newEmail("listed"), password: PASSWORD });
  }
  const { data, error } = await admin.auth.admin.listUsers({ page: 1, perPage: 2 });
  assertEquals(error, null);
  assertEquals(data.users.length, 2);
  assertEquals((data as unknown as { nextPage: number }).nextPage, 2);
  assert((data as unknown as { total: number }).total >= 3);

  const marker = `page-${crypto.randomUUID().slice(0, 8)}`;
  const mine = [];
  for (let i = 0; i < 3; i++) {
    mine.push(
      (await admin.auth.admin.createUser({ email: `${marker}-${i}@test.pishkhan.local`, password: PASSWORD }))
        .data.user!.id,
    );
  }
  const res = await fetch(`${emu.authUrl}/admin/users?filter=${marker}&page=1&per_page=2`, {
    headers: { apikey: emu.keys.secretKey, authorization: `Bearer ${emu.keys.secretKey}` },
  });
  assertEquals(res.headers.get("x-total-count"), "3");
  assertEquals(
    res.headers.get("link"),
    `</admin/users?filter=${marker}&page=2&per_page=2>; rel="next", </admin/users?filter=${marker}&page=2&per_page=2>; rel="last"`,
  );
  const body = await res.json();
  assertEquals(body.aud, "authenticated");
  assertEquals(body.users.map((u: { id: string }) => u.id), [mine[2], mine[1]], "newest first");
});

Deno.test("[auth emulator] admin — a banned user cannot sign in or refresh until the ban is lifted", async () => {
  const email = newEmail("banned");
  const { data } = await admin.auth.admin.createUser({ email, password: PASSWORD, email_confirm: true });
  const sb = client();
  await sb.auth.signInWithPassword({ email, password: PASSWORD });
  const refreshToken = (await sb.auth.getSession()).data.session!.refresh_token;

  const banned = await admin.auth.admin.updateUserById(data.user!.id, { ban_duration: "24h" });
  assert(banned.data.user?.banned_until, "banned_until is set");
  const refused = await client().auth.signInWithPassword({ email, password: PASSWORD });
  assertEquals([refused.error?.status, refused.error?.code], [400, "user_banned"]);
  // The project's migration ends a banned user's sessions (hosted GoTrue would answer user_banned instead).
  assertEquals(
    (await client().auth.refreshSession({ refresh_token: refreshToken })).error?.code,
    "refresh_token_not_found",
  );
  const token = (await sb.auth.getSession()).data.session!.access_token;
  const res = await fetch(`${emu.authUrl}/user`, { headers: { authorization: `Bearer ${token}` } });
  // Its session is gone, so even the still-unexpired access token is refused.
  assertEquals([res.status, (await res.json()).error_code], [403, "session_not_found"]);

  await admin.auth.admin.updateUserById(data.user!.id, { ban_duration: "none" });
  assertEquals((await client().auth.signInWithPassword({ email, password: PASSWORD })).error, null);
});

Deno.test("[auth emulator] admin — generateLink returns a working action link; invites mail one", async () => {
  const email = newEmail("linked");
  const link = await admin.auth.admin.generateLink({ type: "magiclink", email });
  assertEquals(link.error, null);
  const props = link.data.properties!;
  assertEquals(props.verification_type, "signup", "a magic link for an unknown email becomes a signup");
  assertMatch(props.email_otp, /^\d{6}$/);
  assertMatch(
    props.action_link,
    new RegExp(`/auth/v1/verify\\?token=${props.hashed_token}&type=signup&redirect_to=`),
  );
  const res = await fetch(props.action_link, { redirect: "manual" });
  assert(new URL(res.headers.get("location")!).hash.includes("access_token="));

  const unknown = await admin.auth.admin.generateLink({ type: "recovery", email: newEmail("nobody") });
  assertEquals([unknown.error?.status, unknown.error?.code], [404, "user_not_found"]);

  const invitee = newEmail("invitee");
  const invited = await admin.auth.admin.inviteUserByEmail(invitee, { data: { full_name: "Guest" } });
  assertEquals(invited.error, null);
  assert(invited.data.user?.invited_at);
  const [mail] = await emu.mails(invitee);
  assertEquals(mail.subject, "به پیشخوان دعوت شده‌اید"); // no locale in the metadata: Persian
  const fragment = new URLSearchParams(
    new URL((await fetch(String(mail.metadata.action_link), { redirect: "manual" })).headers.get("location")!)
      .hash
      .slice(1),
  );
  assertEquals(fragment.get("type"), "invite");
  assertEquals((await client().auth.getUser(fragment.get("access_token")!)).data.user?.email, invitee);
});

Deno.test("[auth emulator] admin — refused without the secret key or with a user's token", async () => {
  const anon = createClient(emu.url, emu.keys.publishableKey, { auth: { persistSession: false } });
  const listed = await anon.auth.admin.listUsers();
  assertEquals([listed.error?.status, listed.error?.code], [403, "not_admin"]);

  const bare = await fetch(`${emu.authUrl}/admin/users`);
  assertEquals([bare.status, (await bare.json()).error_code], [401, "no_authorization"]);

  const email = newEmail("notadmin");
  await admin.auth.admin.createUser({ email, password: PASSWORD, email_confirm: true });
  const sb = client();
  const { data } = await sb.auth.signInWithPassword({ email, password: PASSWORD });
  const withUser = await fetch(`${emu.authUrl}/admin/users`, {
    headers: { apikey: emu.keys.publishableKey, authorization: `Bearer ${data.session!.access_token}` },
  });
  assertEquals([withUser.status, (await withUser.json()).error_code], [403, "not_admin"]);

  const legacy = createClient(emu.url, emu.keys.serviceRoleKey, { auth: { persistSession: false } });
  assertEquals(
    (await legacy.auth.admin.getUserById(data.user!.id)).error,
    null,
    "the legacy service_role key works",
  );
});

Deno.test("[auth emulator] seeded accounts — created once, confirmed, with staff roles in their tokens", async () => {
  const stack = { gatewayUrl: emu.url, keys: emu.keys, env: { DATABASE_URL: Deno.env.get("DATABASE_URL")! } };
  await seedAccounts(stack as unknown as Stack);
  await seedAccounts(stack as unknown as Stack);
  const expected: Record<string, string> = {
    "admin@pishkhan.local": "admin",
    "agent@pishkhan.local": "agent",
    "finance@pishkhan.local": "finance",
    "user@pishkhan.local": "user",
  };
  for (const email of SEEDED_ACCOUNTS.emails) {
    const { data, error } = await client().auth.signInWithPassword({
      email,
      password: SEEDED_ACCOUNTS.password,
    });
    assertEquals(error, null, email);
    assertEquals(decodeJwt(data.session!.access_token).user_role, expected[email]);
    // The demo password predates lower_upper_letters_digits: GoTrue signs in and flags it, as here.
    assertEquals(data.weakPassword?.reasons, ["characters"]);
    const [row] = await emu.sql`select count(*)::int as n from auth.users where email = ${email}`;
    assertEquals(row.n, 1, `${email} exists once`);
  }
});
