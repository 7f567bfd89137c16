import { assert, assertEquals, assertMatch } from "@std/assert";
import { signPaymentId, verifyPaymentSignature } from "../../lib/payments/signature.ts";
import { paymentErrors } from "../../lib/payments/errors.ts";
import { walletErrors } from "../../lib/wallet/errors.ts";

const SECRET = "s".repeat(40);

Deno.test("[payments signature] callback URLs — only the signature made for this payment id and secret verifies", () => {
  const sig = signPaymentId(SECRET, 42n);
  assertMatch(sig, /^[A-Za-z0-9_-]{43}$/);
  assert(verifyPaymentSignature(SECRET, "42", sig));
  assertEquals(verifyPaymentSignature(SECRET, "43", sig), false);
  assertEquals(verifyPaymentSignature(SECRET, "420", sig), false);
  assertEquals(verifyPaymentSignature("t".repeat(40), "42", sig), false);
  const flipped = sig.slice(0, 10) + (sig[10] === "A" ? "B" : "A") + sig.slice(11);
  assertEquals(verifyPaymentSignature(SECRET, "42", flipped), false);
  // Every other spelling of the last character (it carries only 4 bits) is refused too.
  for (const last of "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") {
    if (last !== sig.at(-1)) {
      assertEquals(verifyPaymentSignature(SECRET, "42", sig.slice(0, -1) + last), false);
    }
  }
  for (const bad of ["", "x", sig + "A", sig.slice(1), "=".repeat(43)]) {
    assertEquals(verifyPaymentSignature(SECRET, "42", bad), false, bad);
  }
  for (const badId of ["", "042", "-42", "4 2", "42; drop"]) {
    assertEquals(verifyPaymentSignature(SECRET, badId, sig), false, badId);
  }
});

Deno.test("[payments signature] signing and checking are synchronous (no WebCrypto round trip per top-up) and agree with WebCrypto's HMAC-SHA256", async () => {
  const sig = signPaymentId(SECRET, "42");
  const checked = verifyPaymentSignature(SECRET, "42", sig);
  // The previous implementation answered Promises (crypto.subtle), which cost the top-up bench more CPU than
  // the HMAC itself.
  assertEquals([typeof sig, typeof checked], ["string", "boolean"]);
  assert(checked);
  const key = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(SECRET),
    {
      name: "HMAC",
      hash: "SHA-256",
    },
    false,
    ["sign"],
  );
  const expected = new Uint8Array(
    await crypto.subtle.sign("HMAC", key, new TextEncoder().encode("pishkhan-payment-callback:42")),
  );
  assertEquals(
    sig,
    btoa(String.fromCharCode(...expected)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, ""),
  );
});

Deno.test("[payments errors] SQLSTATEs — PY and LW codes become typed 4xx errors; others pass through", async () => {
  const raise = (error: Error) => paymentErrors.mapping(() => Promise.reject(error)).catch((e) => e);
  const mapped = await raise(Object.assign(new Error("x"), { code: "LW001", detail: "short by 5" }));
  assert(walletErrors.is(mapped, "insufficient_funds"));
  // The same refusal has the same status wherever it is raised (payments said 409 before the one error table).
  assertEquals([mapped.status, mapped.message], [422, "The wallet cannot cover this amount."]);
  const refused = await raise(Object.assign(new Error("nope"), { code: "PY006" }));
  assert(paymentErrors.is(refused, "not_permitted") && refused.status === 403);
  const other = Object.assign(new Error("boom"), { code: "23505" });
  assertEquals(await raise(other), other);
});
