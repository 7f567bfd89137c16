/** The local gateway on :54321 with Supabase's URL layout: functions, auth, provider sandboxes, outbox. */
import { Hono } from "hono";
import type { Sql } from "postgres";
import { outboxRoutes } from "./outbox/routes.tsx";
import type { LocalKeys } from "./keys.ts";

type Handler = (request: Request) => Response | Promise<Response>;

export interface GatewayOptions {
  sql: Sql;
  keys: LocalKeys;
  /** Extra apps mounted by path prefix, e.g. { "/auth/v1": authApp, "/sandbox/zarinpal": zarinpal }. */
  mounts?: Record<string, Hono>;
}

const functionsRoot = new URL("../functions/", import.meta.url);
const loaded = new Map<string, Promise<Handler | undefined>>();

/** Imports `functions/<name>/index.ts` once and returns its default-exported handler. */
function loadFunction(name: string): Promise<Handler | undefined> {
  if (!/^[A-Za-z][A-Za-z0-9_-]*$/.test(name)) return Promise.resolve(undefined);
  if (!loaded.has(name)) {
    const url = new URL(`${name}/index.ts`, functionsRoot);
    loaded.set(
      name,
      Deno.stat(url).then(
        async () => (await import(url.href)).default as Handler,
        () => undefined,
      ),
    );
  }
  return loaded.get(name)!;
}

export function createGateway(options: GatewayOptions): Hono {
  const app = new Hono();
  app.get(
    "/",
    (c) =>
      c.json({
        service: "pishkhan local gateway",
        routes: ["/auth/v1", "/storage/v1", "/functions/v1", "/_dev/outbox"],
      }),
  );
  app.route("/_dev/outbox", outboxRoutes(options.sql));
  for (const [prefix, sub] of Object.entries(options.mounts ?? {})) app.route(prefix, sub);
  app.all("/functions/v1/:name{[A-Za-z][A-Za-z0-9_-]*}/*", (c) => invoke(c.req.param("name"), c.req.raw));
  app.all("/functions/v1/:name{[A-Za-z][A-Za-z0-9_-]*}", (c) => invoke(c.req.param("name"), c.req.raw));
  return app;
}

async function invoke(name: string, request: Request): Promise<Response> {
  const handler = await loadFunction(name);
  if (!handler) {
    return Response.json({ code: "NOT_FOUND", message: "Requested function was not found" }, { status: 404 });
  }
  return await handler(request);
}
