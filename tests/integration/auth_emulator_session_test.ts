/** The Auth emulator through supabase-js: refresh rotation and reuse detection, user updates, sign-out, claims. */
import { AuthSessionMissingError, createClient, type SupabaseClient } from "@supabase/supabase-js";
import { decodeJwt, decodeProtectedHeader, SignJWT } from "jose";
import { assert, assertEquals, assertNotEquals } from "@std/assert";
import { serveAuthEmulator } from "../../local/auth/testing.ts";

const PASSWORD = "Correct-Horse-9";
const emu = await serveAuthEmulator();
addEventListener("unload", () => void emu.stop());

let ipCounter = 0;
function client(fetchLog?: string[]) {
  return createClient(emu.url, emu.keys.publishableKey, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    global: {
      headers: { "x-forwarded-for": `10.2.0.${++ipCounter}` },
      fetch: (input, init) => {
        fetchLog?.push(String(input instanceof Request ? input.url : input));
        return fetch(input, init);
      },
    },
  });
}

/** A confirmed user made through the admin API, and a client signed in as them. */
async function signedIn(name: string): Promise<{ sb: SupabaseClient; id: string; email: string }> {
  const email = `${name}-${crypto.randomUUID().slice(0, 8)}@test.pishkhan.local`;
  const admin = createClient(emu.url, emu.keys.secretKey, {
    auth: { persistSession: false, autoRefreshToken: false },
  });
  const created = await admin.auth.admin.createUser({ email, password: PASSWORD, email_confirm: true });
  assertEquals(created.error, null);
  const sb = client();
  const { error } = await sb.auth.signInWithPassword({ email, password: PASSWORD });
  assertEquals(error, null);
  return { sb, id: created.data.user!.id, email };
}

async function refresh(refreshToken: string) {
  return await client().auth.refreshSession({ refresh_token: refreshToken });
}

Deno.test("[auth emulator] refresh — rotates the token, hands the child to a client that lost it, detects reuse", async () => {
  const { sb } = await signedIn("rotate");
  const first = (await sb.auth.getSession()).data.session!;
  const second = await refresh(first.refresh_token);
  assertEquals(second.error, null);
  const child = second.data.session!.refresh_token;
  assertNotEquals(child, first.refresh_token);
  assertEquals(
    decodeJwt(second.data.session!.access_token).session_id,
    decodeJwt(first.access_token).session_id,
  );

  const retried = await refresh(first.refresh_token);
  assertEquals(retried.data.session?.refresh_token, child, "the parent of the active token returns it again");

  const third = await refresh(child);
  const grandchild = third.data.session!.refresh_token;
  emu.advance(11);
  try {
    const reused = await refresh(first.refresh_token);
    assertEquals(reused.error?.code, "refresh_token_already_used");
    assertEquals(reused.error?.status, 400);
    emu.advance(11);
    const afterRevocation = await refresh(grandchild);
    assertEquals(
      afterRevocation.error?.code,
      "refresh_token_already_used",
      "the whole session's tokens were revoked",
    );
  } finally {
    emu.advance(-22);
  }
});

Deno.test("[auth emulator] refresh — reuse inside the 10 s window issues a sibling; bad tokens are refused", async () => {
  const { sb } = await signedIn("window");
  const first = (await sb.auth.getSession()).data.session!;
  const a = await refresh(first.refresh_token);
  await refresh(a.data.session!.refresh_token);
  const concurrent = await refresh(first.refresh_token);
  assertEquals(concurrent.error, null, "a revoked token within the reuse interval still refreshes");

  assertEquals((await refresh("short")).error?.code, "validation_failed");
  assertEquals((await refresh("abcdefghijkl")).error?.code, "refresh_token_not_found");
});

Deno.test("[auth emulator] user — getUser and updateUser merge metadata and change the password", async () => {
  const { sb, email } = await signedIn("update");
  const other = client();
  await other.auth.signInWithPassword({ email, password: PASSWORD });

  const meta = await sb.auth.updateUser({ data: { full_name: "Reza", locale: "en" } });
  assertEquals(meta.data.user?.user_metadata.full_name, "Reza");
  const removed = await sb.auth.updateUser({ data: { locale: null } });
  assertEquals(removed.data.user?.user_metadata.locale, undefined);
  assertEquals(removed.data.user?.user_metadata.full_name, "Reza");

  const same = await sb.auth.updateUser({ password: PASSWORD });
  assertEquals(same.error?.code, "same_password");
  const weak = await sb.auth.updateUser({ password: "weak" });
  assertEquals(weak.error?.code, "weak_password");
  const changed = await sb.auth.updateUser({ password: "New-Password-77" });
  assertEquals(changed.error, null);

  assertEquals((await sb.auth.getUser()).error, null, "the session that changed the password stays");
  const kicked = await other.auth.getUser();
  assert(kicked.error instanceof AuthSessionMissingError, "other sessions end on a password change");
  const old = await client().auth.signInWithPassword({ email, password: PASSWORD });
  assertEquals(old.error?.code, "invalid_credentials");
  const fresh = await client().auth.signInWithPassword({ email, password: "New-Password-77" });
  assertEquals(fresh.error, null);

  const appMeta = await fetch(`${emu.authUrl}/user`, {
    method: "PUT",
    headers: {
      authorization: `Bearer ${fresh.data.session!.access_token}`,
      "content-type": "application/json",
    },
    body: JSON.stringify({ app_metadata: { role: "admin" } }),
  });
  assertEquals([appMeta.status, (await appMeta.json()).error_code], [403, "not_admin"]);
});

/** GET /user with a raw access token: the status and error code GoTrue answers. */
async function userStatus(token: string): Promise<[number, string | undefined]> {
  const res = await fetch(`${emu.authUrl}/user`, { headers: { authorization: `Bearer ${token}` } });
  const body = await res.json();
  return [res.status, body.error_code];
}

const tokenOf = async (sb: SupabaseClient) => (await sb.auth.getSession()).data.session!.access_token;

Deno.test("[auth emulator] logout — local ends one session, others the rest, global all of them", async () => {
  const { sb, email } = await signedIn("logout");
  const [b, c, d] = [client(), client(), client()];
  for (const other of [b, c, d]) await other.auth.signInWithPassword({ email, password: PASSWORD });
  const [aToken, bToken, cToken, dToken] = await Promise.all([sb, b, c, d].map(tokenOf));

  assertEquals((await c.auth.signOut({ scope: "local" })).error, null);
  assertEquals(await userStatus(cToken), [403, "session_not_found"]);
  assertEquals(await userStatus(bToken), [200, undefined]);

  assertEquals((await sb.auth.signOut({ scope: "others" })).error, null);
  assertEquals(await userStatus(bToken), [403, "session_not_found"]);
  assertEquals(await userStatus(dToken), [403, "session_not_found"]);
  assertEquals(await userStatus(aToken), [200, undefined]);
  assert(
    (await b.auth.getUser()).error instanceof AuthSessionMissingError,
    "supabase-js maps it to a missing session",
  );

  const e = client();
  await e.auth.signInWithPassword({ email, password: PASSWORD });
  const eToken = await tokenOf(e);
  const bad = await fetch(`${emu.authUrl}/logout?scope=everyone`, {
    method: "POST",
    headers: { authorization: `Bearer ${eToken}` },
  });
  assertEquals([bad.status, (await bad.json()).error_code], [400, "validation_failed"]);
  const local = await fetch(`${emu.authUrl}/logout?scope=local`, {
    method: "POST",
    headers: { authorization: `Bearer ${eToken}` },
  });
  assertEquals(local.status, 204);
  assertEquals(await userStatus(eToken), [403, "session_not_found"]);

  const f = client();
  await f.auth.signInWithPassword({ email, password: PASSWORD });
  const fToken = await tokenOf(f);
  assertEquals((await sb.auth.signOut()).error, null, "scope defaults to global");
  assertEquals(await userStatus(aToken), [403, "session_not_found"]);
  assertEquals(await userStatus(fToken), [403, "session_not_found"], "global ends every session");
});

Deno.test("[auth emulator] tokens — ES256 with the JWKS kid, all GoTrue claims, user_role from the hook", async () => {
  const { sb, id } = await signedIn("claims");
  const session = (await sb.auth.getSession()).data.session!;
  const header = decodeProtectedHeader(session.access_token);
  assertEquals([header.alg, header.kid], ["ES256", emu.keys.signingKey.kid]);
  const claims = decodeJwt(session.access_token);
  for (
    const key of [
      "aud",
      "exp",
      "iat",
      "sub",
      "email",
      "phone",
      "role",
      "aal",
      "session_id",
      "is_anonymous",
      "amr",
    ]
  ) {
    assert(key in claims, `claim ${key}`);
  }
  assertEquals(claims.iss, `${emu.url}/auth/v1`);
  assertEquals([claims.aud, claims.role, claims.aal], ["authenticated", "authenticated", "aal1"]);
  assertEquals((claims.exp as number) - (claims.iat as number), 3600);
  assertEquals((claims.amr as { method: string }[])[0].method, "password");
  assertEquals(claims.user_role, "user");

  await emu.sql`insert into public.user_roles (user_id, role) values (${id}, 'finance')`;
  const refreshed = await sb.auth.refreshSession();
  const after = decodeJwt(refreshed.data.session!.access_token);
  assertEquals(after.user_role, "finance", "the hook runs again on refresh");
  assertEquals((after.amr as { method: string }[])[0].method, "password", "refresh keeps the amr");
});

Deno.test("[auth emulator] getClaims — verifies locally against the JWKS and rejects a forged signature", async () => {
  const log: string[] = [];
  const email = `jwks-${crypto.randomUUID().slice(0, 8)}@test.pishkhan.local`;
  const admin = createClient(emu.url, emu.keys.secretKey, { auth: { persistSession: false } });
  await admin.auth.admin.createUser({ email, password: PASSWORD, email_confirm: true });
  const sb = client(log);
  await sb.auth.signInWithPassword({ email, password: PASSWORD });
  log.length = 0;
  const { data, error } = await sb.auth.getClaims();
  assertEquals(error, null);
  assertEquals(data?.claims.email, email);
  assert(log.some((u) => u.endsWith("/auth/v1/.well-known/jwks.json")), "fetched the JWKS");
  assert(!log.some((u) => u.endsWith("/auth/v1/user")), "no round trip to /user");

  const jwks = await (await fetch(`${emu.authUrl}/.well-known/jwks.json`)).json();
  assertEquals(jwks.keys.length, 1);
  assertEquals(jwks.keys[0].d, undefined, "no private part");

  const { privateKey } = await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, [
    "sign",
  ]);
  const forged = await new SignJWT({ ...data!.claims }).setProtectedHeader({
    alg: "ES256",
    kid: emu.keys.signingKey.kid,
  })
    .sign(privateKey);
  const rejected = await sb.auth.getClaims(forged);
  assertEquals(rejected.error?.name, "AuthInvalidJwtError");
  const server = await fetch(`${emu.authUrl}/user`, { headers: { authorization: `Bearer ${forged}` } });
  assertEquals([server.status, (await server.json()).error_code], [403, "bad_jwt"]);
});

Deno.test("[auth emulator] extras — reauthenticate mails a code; MFA enrolment and manual linking are off", async () => {
  const { sb, email } = await signedIn("extras");
  assertEquals((await sb.auth.reauthenticate()).error, null);
  const [mail] = await emu.mails(email);
  assertEquals(mail.subject, `کد تأیید شما: ${mail.metadata.email_otp}`); // no locale in the metadata: Persian

  const enroll = await sb.auth.mfa.enroll({ factorType: "totp" });
  assertEquals([enroll.error?.status, enroll.error?.code], [422, "mfa_totp_enroll_not_enabled"]);
  const link = await sb.auth.linkIdentity({ provider: "github", options: { skipBrowserRedirect: true } });
  assertEquals([link.error?.status, link.error?.code], [404, "manual_linking_disabled"]);
});

Deno.test("[auth emulator] hook — output is validated; a hook error becomes the HTTP error", async () => {
  const schema = `hook_test_${crypto.randomUUID().slice(0, 8)}`;
  await emu.sql.unsafe(`
    create schema ${schema};
    grant usage on schema ${schema} to supabase_auth_admin;
    create function ${schema}.drops_claims(event jsonb) returns jsonb language sql as
      $$ select jsonb_build_object('claims', (event -> 'claims') - 'session_id') $$;
    create function ${schema}.refuses(event jsonb) returns jsonb language sql as
      $$ select '{"error": {"http_code": 403, "message": "Not today"}}'::jsonb $$;
    grant execute on all functions in schema ${schema} to supabase_auth_admin;`);
  const email = `hooked-${crypto.randomUUID().slice(0, 8)}@test.pishkhan.local`;
  const admin = createClient(emu.url, emu.keys.secretKey, { auth: { persistSession: false } });
  await admin.auth.admin.createUser({ email, password: PASSWORD, email_confirm: true });
  for (
    const [name, status, message] of [["drops_claims", 500, /session_id is required/], [
      "refuses",
      403,
      /Not today/,
    ]] as const
  ) {
    const other = await serveAuthEmulator({ customAccessTokenHook: { schema, name } });
    try {
      const sb = createClient(other.url, other.keys.publishableKey, { auth: { persistSession: false } });
      const { error } = await sb.auth.signInWithPassword({ email, password: PASSWORD });
      assertEquals(error?.status, status);
      assert(message.test(error!.message), error!.message);
    } finally {
      await other.stop();
    }
  }
  await emu.sql.unsafe(`drop schema ${schema} cascade`);
});

Deno.test("[auth emulator] autoconfirm — signup returns a session at once; a second signup is user_already_exists", async () => {
  const other = await serveAuthEmulator({ mailerAutoconfirm: true });
  try {
    const sb = createClient(other.url, other.keys.publishableKey, { auth: { persistSession: false } });
    const email = `auto-${crypto.randomUUID().slice(0, 8)}@test.pishkhan.local`;
    const first = await sb.auth.signUp({ email, password: PASSWORD });
    assertEquals(first.error, null);
    assert(first.data.session?.access_token, "a session straight away");
    assertEquals(
      (decodeJwt(first.data.session!.access_token).amr as { method: string }[])[0].method,
      "password",
    );
    assertEquals((await other.mails(email)).length, 0, "no confirmation mail");
    const again = await sb.auth.signUp({ email, password: PASSWORD });
    assertEquals([again.error?.status, again.error?.code], [422, "user_already_exists"]);
  } finally {
    await other.stop();
  }
});
