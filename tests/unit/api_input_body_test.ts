/**
 * requireJson decodes a JSON body once, strictly (UTF-8), and hands that text to the JSON validator: the
 * validator must not decode the body a second time (Hono built a Response around the cached bytes and read
 * its text, per request).
 */
import { assertEquals } from "@std/assert";
import { Hono } from "hono";
import { z } from "zod";
import { requireJson } from "../../lib/api/input.ts";
import { validate } from "../../lib/http/validate.ts";
import { onError } from "../../routes/_error.tsx";
import type { AppEnv } from "../../lib/http/env.ts";

function app() {
  const app = new Hono<AppEnv>();
  app.onError(onError);
  app.post("/", requireJson, validate("json", z.object({ to: z.string(), amount: z.number() })), (c) => {
    return c.json(c.req.valid("json"));
  });
  return app;
}

const post = (body: BodyInit, type = "application/json") =>
  app().request("/", { method: "POST", headers: { "content-type": type }, body });

Deno.test("[api input] the JSON body is decoded once: the validator parses requireJson's text", async () => {
  const original = Response.prototype.text;
  let reads = 0;
  Response.prototype.text = function (this: Response) {
    reads++;
    return original.call(this);
  };
  try {
    const res = await post(JSON.stringify({ to: "سارا@example.com", amount: 1_000 }));
    assertEquals(res.status, 200);
    assertEquals(await original.call(res), JSON.stringify({ to: "سارا@example.com", amount: 1_000 }));
    assertEquals(reads, 0);
  } finally {
    Response.prototype.text = original;
  }
});

Deno.test("[api input] bodies that are not UTF-8 or not JSON are still refused", async () => {
  const bad = await post(new Uint8Array([0x7b, 0x22, 0xff, 0x22, 0x7d]));
  assertEquals(bad.status, 400);
  const malformed = await post("{not json");
  assertEquals(malformed.status, 400);
  const text = await post("{}", "text/plain");
  assertEquals([text.status, (await text.json()).error.code], [415, "json_required"]);
  const bom = await post(
    new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('{"to":"x","amount":5}')]),
  );
  assertEquals([bom.status, await bom.json()], [200, { to: "x", amount: 5 }]);
});
