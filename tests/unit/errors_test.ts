import { assert, assertEquals, assertThrows } from "@std/assert";
import {
  declaredRefusals,
  defineRefusals,
  describeError,
  DomainError,
  errorBody,
  fromDatabaseError,
  requestErrors,
} from "../../lib/errors.ts";
import { walletErrors } from "../../lib/wallet/errors.ts";
import { paymentErrors } from "../../lib/payments/errors.ts";
import { userErrors } from "../../lib/users/errors.ts";
import { ticketErrors } from "../../lib/tickets/errors.ts";
import { authErrors } from "../../lib/auth/errors.ts";
import { apiKeyErrors } from "../../lib/apikeys/errors.ts";
import { notificationErrors } from "../../lib/notifications/errors.ts";

// Raised by the ledger's integrity triggers: these are bugs (a 500 that is logged), never a refusal.
const INVARIANT_VIOLATIONS = new Set(["LW090", "LW091"]);

function sqlstatesRaisedByMigrations(): Set<string> {
  const found = new Set<string>();
  for (const file of Deno.readDirSync("supabase/migrations")) {
    const text = Deno.readTextFileSync(`supabase/migrations/${file.name}`);
    for (const match of text.matchAll(/errcode\s*=\s*'([A-Z]{2}\d{3})'/g)) found.add(match[1]);
  }
  return found;
}

Deno.test("[errors] tables — every SQLSTATE our SQL raises is a declared refusal or a known invariant bug", () => {
  const tables: { domain: string; codes: readonly string[]; refuse(code: never): DomainError }[] = [
    walletErrors,
    paymentErrors,
    userErrors,
    ticketErrors,
    authErrors,
    apiKeyErrors,
    notificationErrors,
    requestErrors,
  ];
  for (const table of tables) {
    for (const code of table.codes) assertEquals(table.refuse(code as never).domain, table.domain);
  }
  const raised = sqlstatesRaisedByMigrations();
  assert(raised.size > 20, `found only ${raised.size} SQLSTATEs in the migrations`);
  const missing = [...raised].filter((s) => !INVARIANT_VIOLATIONS.has(s) && !mappedFrom(s));
  assertEquals(missing, [], "SQLSTATEs raised in SQL but not declared in any lib/<domain>/errors.ts table");
  const declared = declaredRefusals().flatMap((r) => r.spec.sqlstate ? [r.spec.sqlstate] : []);
  assertEquals(declared.filter((s) => !raised.has(s)), [], "declared SQLSTATEs that no SQL raises");
});

/** True when a database error with `sqlstate` becomes a refusal (a 4xx), not a bug. */
function mappedFrom(sqlstate: string): boolean {
  const error = fromDatabaseError(Object.assign(new Error("raised"), { code: sqlstate }));
  return error instanceof DomainError && describeError(error).status !== 500;
}

Deno.test("[errors] one code, one status — a second table cannot give a known code another status", () => {
  assertThrows(
    () => defineRefusals("test-domain", { insufficient_funds: { status: 409, message: "short" } }),
    "insufficient_funds",
  );
  // The same code with the same status is the same refusal, and may be declared by two domains.
  defineRefusals("test-domain-2", { not_permitted: { status: 403, message: "no" } });
});

Deno.test("[errors] SQLSTATE prefixes — a domain raises only its own prefix, and a prefix has one owner", () => {
  assertThrows(
    () => defineRefusals("test-prefix", { odd: { status: 409, message: "x", sqlstate: "PY900" } }, "TX"),
    "outside",
  );
  assertThrows(() => defineRefusals("test-thief", {}, "LW"), "belongs to wallet");
});

Deno.test("[errors] mapping — SQL refusals become DomainErrors (the SQL detail for the log only); other errors pass through", async () => {
  const short = await walletErrors.mapping(() =>
    Promise.reject(Object.assign(new Error("x"), { code: "LW001", detail: "short by 5" }))
  ).catch((e) => e);
  assert(short instanceof DomainError);
  assertEquals([short.code, short.status, short.message, short.internalDetail], [
    "insufficient_funds",
    422,
    "The wallet cannot cover this amount.",
    "short by 5",
  ]);
  const denied = await walletErrors.mapping(() =>
    Promise.reject(Object.assign(new Error("x"), { code: "42501" }))
  )
    .catch((e) => e);
  assertEquals([denied.code, denied.status], ["not_permitted", 403]);
  const bug = Object.assign(new Error("duplicate key"), { code: "23505" });
  assertEquals(await walletErrors.mapping(() => Promise.reject(bug)).catch((e) => e), bug);
});

Deno.test("[errors] describeError — localized text with the validator's reason; a bug reveals nothing", () => {
  const t = (key: string, details: Record<string, string | number>) =>
    key === "api.error.invalid_input" ? `bad ${details.field}` : undefined;
  const invalid = requestErrors.refuse("invalid_input", { field: "amount", reason: "too big" });
  assertEquals(describeError(invalid, t), {
    status: 400,
    code: "invalid_input",
    message: "bad amount (too big)",
  });
  const bug = describeError(new Error("select * from secrets"));
  assertEquals([bug.status, bug.code], [500, "internal"]);
  assert(!bug.message.includes("secrets"));
  assertEquals(errorBody(bug), { error: { code: "internal", message: bug.message } });
});
