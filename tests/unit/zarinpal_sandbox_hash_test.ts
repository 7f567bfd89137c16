import { assertEquals } from "@std/assert";
import { hashPan } from "../../local/zarinpal/fees.ts";

Deno.test("[zarinpal sandbox] card_hash is SHA-256 of the PAN in upper-case hex, computed synchronously (no WebCrypto round trip per payment in the bench's process)", async () => {
  const pan = "6037991234567890";
  const hash = hashPan(pan);
  assertEquals(typeof hash, "string");
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(pan)));
  assertEquals(hash, Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("").toUpperCase());
});
