/** /_control/…: the sandbox's test knobs over HTTP (JSON), for tests that drive the running stack. */
import { type Context, Hono } from "hono";
import { z } from "zod";
import { ControlError, type SandboxControl } from "./control.ts";
import { ENDPOINTS } from "./faults.ts";

const endpoint = z.enum(ENDPOINTS);
const ms = z.number().int().min(0);
const code = z.number().int().refine(
  (n) => n < 0 || n >= 400,
  "a negative Zarinpal code or an HTTP status >= 400",
);

const policy = z.object({
  authorityTtlMs: ms,
  reverseWindowMs: ms,
  errorStatus: z.number().int().min(200).max(599),
  statusMode: z.enum(["4xx", "2xx"]),
  ipAllowList: z.boolean(),
  allowReversePaid: z.boolean(),
  minAmountRial: ms,
  maxAmountRial: ms,
  feeType: z.enum(["Merchant", "Payer"]),
  feePercent: z.number().min(0).max(50),
  feeCapRial: ms,
  unverifiedCodeAsString: z.boolean(),
  rateLimit: z.object({ max: ms, windowMs: ms }).nullable(),
  callbackDomain: z.string().min(1).nullable(),
  unverifiedRefundAfterMs: ms.nullable(),
}).partial().strict();

/** A POST handler: the JSON body parsed with `schema` (400 with zod's issues otherwise), then `fn`. */
function act<T>(schema: z.ZodType<T>, fn: (body: T, c: Context) => unknown) {
  return async (c: Context) => {
    const parsed = schema.safeParse(await c.req.json().catch(() => ({})));
    if (!parsed.success) return c.json({ error: "bad request", issues: parsed.error.issues }, 400);
    return c.json((await fn(parsed.data, c)) ?? { ok: true });
  };
}

export function controlRoutes(control: SandboxControl): Hono {
  const app = new Hono();
  const empty = z.object({}).passthrough();
  const authority = (c: Context) => c.req.param("authority") ?? "";

  app.onError((error, c) => {
    if (error instanceof ControlError) return c.json({ error: error.message }, error.status);
    throw error;
  });
  app.get("/", (c) => c.json({ now: control.now().toISOString(), policy: control.configure({}) }));
  app.get("/sessions", (c) => c.json(control.sessions()));
  app.get("/sessions/:authority", (c) => {
    const session = control.session(authority(c));
    return session ? c.json(session) : c.json({ error: "unknown authority" }, 404);
  });
  app.get("/verify-calls/:authority", (c) => c.json({ count: control.verifyCalls(authority(c)) }));
  app.post("/reset", act(empty, () => control.reset()));
  app.post(
    "/pay/:authority",
    act(
      z.object({ card_pan: z.string().regex(/^\d{16}$/).optional() }),
      (b, c) => control.pay(authority(c), b),
    ),
  );
  app.post("/fail/:authority", act(empty, (_, c) => control.fail(authority(c))));
  app.post(
    "/clock",
    act(
      z.object({ now: z.iso.datetime({ offset: true }).optional(), advanceMs: z.number().optional() }),
      (b) => {
        if (b.now) control.setNow(b.now);
        if (b.advanceMs) control.advance(b.advanceMs);
        return { now: control.now().toISOString() };
      },
    ),
  );
  app.post(
    "/fail-next",
    act(
      z.object({ endpoint: endpoint.default("verify"), code }),
      (b) => control.failNext(b.endpoint, b.code),
    ),
  );
  app.post("/timeout-next", act(z.object({ endpoint, ms }), (b) => control.timeoutNext(b.endpoint, b.ms)));
  app.post("/delay", act(z.object({ endpoint, ms }), (b) => control.delay(b.endpoint, b.ms)));
  app.post(
    "/down",
    act(z.object({ endpoint: z.union([endpoint, z.literal("all")]), down: z.boolean() }), (b) => {
      control.down(b.endpoint, b.down);
    }),
  );
  app.post(
    "/status-mode",
    act(
      z.object({ mode: z.enum(["4xx", "2xx"]), status: z.number().int().min(400).max(499).optional() }),
      (b) => {
        control.setStatusMode(b.mode, b.status);
      },
    ),
  );
  app.post(
    "/ip-allow-list",
    act(z.object({ enabled: z.boolean() }), (b) => control.setIpAllowList(b.enabled)),
  );
  app.post(
    "/merchant-active",
    act(z.object({ merchant_id: z.string().min(1), active: z.boolean() }), (b) => {
      control.setMerchantActive(b.merchant_id, b.active);
    }),
  );
  app.post("/policy", act(policy, (b) => control.configure(b)));
  return app;
}
