import { assertEquals } from "@std/assert";
import {
  cookieSession,
  cookieSessionStats,
  REFRESH_MARGIN_MS,
  usableWithoutRefresh,
} from "../../lib/auth/session_cookie.ts";

const NAME = "sb-127-auth-token";
const encode = (value: unknown) =>
  `base64-${
    btoa(String.fromCharCode(...new TextEncoder().encode(JSON.stringify(value))))
      .replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_")
  }`;
const session = {
  access_token: "a.b.c",
  refresh_token: "r",
  expires_at: 2_000_000_000,
  user: { email: "ü@x" },
};

Deno.test("cookieSession: whole, chunked, and among other cookies", () => {
  const whole = encode(session);
  const want = { accessToken: "a.b.c", expiresAt: 2_000_000_000 };
  assertEquals(cookieSession(`${NAME}=${whole}`, NAME), want);
  assertEquals(cookieSession(`theme=dark; ${NAME}=${whole}; lang=fa`, NAME), want);
  const [a, b] = [whole.slice(0, 20), whole.slice(20)];
  assertEquals(cookieSession(`${NAME}.1=${b}; ${NAME}.0=${a}`, NAME), want);
  // A chunk missing in the middle: the rest is not a session (the client would not read it either).
  assertEquals(cookieSession(`${NAME}.1=${b}`, NAME), undefined);
});

Deno.test("cookieSession: anything it does not understand is left to the Supabase client", () => {
  assertEquals(cookieSession("", NAME), undefined);
  assertEquals(cookieSession(`${NAME}=${encodeURIComponent(JSON.stringify(session))}`, NAME), undefined);
  assertEquals(cookieSession(`${NAME}=base64-!!!`, NAME), undefined);
  assertEquals(cookieSession(`${NAME}=base64-bm90IGpzb24`, NAME), undefined);
  assertEquals(cookieSession(`${NAME}=${encode({ access_token: "x" })}`, NAME), undefined);
  assertEquals(cookieSession(`other-${NAME}=${encode(session)}`, NAME), undefined);
});

Deno.test("usableWithoutRefresh: a token near or past its expiry goes the client's (refreshing) way", () => {
  const now = 1_000_000_000_000;
  const at = (ms: number) => ({ accessToken: "t", expiresAt: (now + ms) / 1000 });
  assertEquals(usableWithoutRefresh(at(REFRESH_MARGIN_MS + 1000), now), true);
  assertEquals(usableWithoutRefresh(at(REFRESH_MARGIN_MS - 1000), now), false);
  assertEquals(usableWithoutRefresh(at(-1000), now), false);
});

Deno.test("cookieSession: a header read before is not decoded again, and another header is", () => {
  const header = `locale=fa; ${NAME}=${encode({ ...session, access_token: "repeat" })}`;
  const before = cookieSessionStats.decoded;
  const first = cookieSession(header, NAME);
  assertEquals(cookieSessionStats.decoded, before + 1);
  for (let i = 0; i < 10; i++) assertEquals(cookieSession(header, NAME), first);
  assertEquals(cookieSessionStats.decoded, before + 1, "the same header was decoded again");
  // What a header says depends on the header and the name only: another header or name is read anew.
  const other = `locale=fa; ${NAME}=${encode({ ...session, access_token: "other" })}`;
  assertEquals(cookieSession(other, NAME)?.accessToken, "other");
  assertEquals(cookieSession(header, `${NAME}-x`), undefined);
  assertEquals(cookieSessionStats.decoded, before + 3);
  assertEquals(cookieSession(header, NAME)?.accessToken, "repeat");
});
