/**
 * The OpenAPI document of /api/v1, checked by maintained validators from npm: Redocly's `recommended` ruleset
 * (no errors, no warnings) and swagger-parser's schema validation. Neither fetches anything: the document has
 * no external $refs, and Redocly's config is built in memory (no redocly.yaml, no remote rulesets).
 */
import { assert, assertEquals } from "@std/assert";
import { createConfig, lintFromString } from "@redocly/openapi-core";
import SwaggerParser from "@apidevtools/swagger-parser";
import { openApiDocument, registeredOperations } from "../../lib/api/openapi.ts";
import "../../lib/wallet/api.ts";
import "../../lib/auth/api.ts";
import "../../lib/tickets/api.ts";
import "../../lib/notifications/api.ts";

// A production-like origin: Redocly warns about localhost servers (no-server-example.com).
const document = () => openApiDocument("https://pishkhan.ir");

Deno.test("openapi — Redocly's recommended rules find no errors and no warnings", async () => {
  const config = await createConfig({ extends: ["recommended"] });
  const problems = await lintFromString({
    source: JSON.stringify(document()),
    absoluteRef: "openapi.json",
    config,
  });
  const described = problems.map((p) =>
    `${p.severity} ${p.ruleId}: ${p.message} at ${p.location?.[0]?.pointer ?? "?"}`
  );
  assertEquals(described, []);
});

Deno.test("openapi — swagger-parser validates the document", async () => {
  // validate() dereferences in place, so it gets its own copy; resolve.external off: nothing is fetched.
  const api = await SwaggerParser.validate(structuredClone(document()) as never, {
    resolve: { external: false },
  });
  assertEquals((api as { openapi?: string }).openapi, "3.1.0");
});

Deno.test("openapi — every operation has a unique camelCase operationId, a tag and a 4xx response", () => {
  const doc = document();
  const ids: string[] = [];
  for (const ops of Object.values(doc.paths)) {
    for (const op of Object.values(ops) as { operationId: string; tags: string[]; responses: object }[]) {
      ids.push(op.operationId);
      assert(/^[a-z][a-zA-Z0-9]*$/.test(op.operationId), op.operationId);
      assertEquals(op.tags.length, 1);
      assert(Object.keys(op.responses).some((s) => s.startsWith("4")), op.operationId);
    }
  }
  assertEquals(new Set(ids).size, ids.length);
  assertEquals(ids.length, registeredOperations().length);
  const tags = new Set(doc.tags.map((t) => t.name));
  for (const op of registeredOperations()) assert(tags.has(op.tag), op.tag);
});
