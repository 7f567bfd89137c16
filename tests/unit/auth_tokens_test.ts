import { assert, assertEquals, assertRejects } from "@std/assert";
import { SignJWT } from "jose";
import { loadConfig, setConfig } from "../../lib/config.ts";
import { loadLocalKeys } from "../../local/keys.ts";
import { InvalidToken, verifyAccessToken } from "../../lib/auth/tokens.ts";

/** A stand-in JWKS endpoint on a free port; returns the issuer URL and a signer for its key. */
async function jwksServer() {
  const keys = await loadLocalKeys();
  const other = await loadLocalKeys();
  let fetches = 0;
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, (req) => {
    if (new URL(req.url).pathname !== "/auth/v1/.well-known/jwks.json") {
      return new Response("no", { status: 404 });
    }
    fetches++;
    return Response.json({ keys: [keys.publicKey] });
  });
  const base = `http://127.0.0.1:${server.addr.port}`;
  setConfig(loadConfig({ SUPABASE_URL: base, PISHKHAN_LOCAL_STACK: "1" }));
  const sign = (
    claims: Record<string, unknown>,
    options: { key?: "other"; exp?: number; iss?: string } = {},
  ) => {
    const now = Math.floor(Date.now() / 1000);
    const key = options.key === "other" ? other.signingKey : keys.signingKey;
    return crypto.subtle.importKey("jwk", key as JsonWebKey, { name: "ECDSA", namedCurve: "P-256" }, false, [
      "sign",
    ]).then((cryptoKey) =>
      new SignJWT({ role: "authenticated", aud: "authenticated", email: "a@example.com", ...claims })
        .setProtectedHeader({ alg: "ES256", kid: keys.signingKey.kid, typ: "JWT" })
        .setIssuer(options.iss ?? `${base}/auth/v1`)
        .setIssuedAt(now)
        .setExpirationTime(options.exp ?? now + 3600)
        .sign(cryptoKey)
    );
  };
  return { base, sign, fetches: () => fetches, stop: () => server.shutdown() };
}

Deno.test("[auth tokens] verify — a token signed by the project's key gives its claims; the JWKS is cached", async () => {
  const server = await jwksServer();
  try {
    const sub = crypto.randomUUID();
    const claims = await verifyAccessToken(await server.sign({ sub, user_role: "admin", session_id: "s1" }));
    assertEquals([claims.sub, claims.user_role, claims.session_id], [sub, "admin", "s1"]);
    await verifyAccessToken(await server.sign({ sub }));
    assertEquals(server.fetches(), 1);
  } finally {
    await server.stop();
  }
});

Deno.test("[auth tokens] verify — refuses other keys, other issuers, expired tokens and non-user tokens", async () => {
  const server = await jwksServer();
  try {
    const sub = crypto.randomUUID();
    const bad = [
      await server.sign({ sub }, { key: "other" }),
      await server.sign({ sub }, { iss: "https://evil.example/auth/v1" }),
      await server.sign({ sub }, { exp: Math.floor(Date.now() / 1000) - 10 }),
      await server.sign({ sub, aud: "someone-else" }),
      await server.sign({ sub, role: "service_role" }),
      await server.sign({}),
      "not.a.token",
    ];
    for (const token of bad) {
      const error = await assertRejects(() => verifyAccessToken(token));
      assert(error instanceof InvalidToken, `${token.slice(0, 20)}…: ${error}`);
    }
    // Raising one's own role in the payload breaks the signature.
    const [head, , signature] = (await server.sign({ sub, user_role: "user" })).split(".");
    const payload = btoa(
      JSON.stringify({ sub, role: "authenticated", aud: "authenticated", user_role: "admin" }),
    )
      .replace(/=+$/, "");
    await assertRejects(() => verifyAccessToken(`${head}.${payload}.${signature}`), "signature");
  } finally {
    await server.stop();
  }
});

Deno.test("[auth tokens] cache — a verified token is not checked again, and is refused once it expires", async () => {
  const server = await jwksServer();
  try {
    const exp = Math.floor(Date.now() / 1000) + 2;
    const token = await server.sign({ sub: crypto.randomUUID() }, { exp });
    const first = await verifyAccessToken(token);
    const again = await verifyAccessToken(token);
    assert(first === again, "the second verification is answered from the cache");
    await new Promise((resolve) => setTimeout(resolve, (exp + 1) * 1000 - Date.now()));
    const error = await assertRejects(() => verifyAccessToken(token));
    assert(error instanceof InvalidToken);
  } finally {
    await server.stop();
  }
});
