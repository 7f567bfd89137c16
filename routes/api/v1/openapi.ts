// routes/api/v1/openapi.ts — GET /api/v1/openapi.json (public: the API's description, no data; built once per origin)
import { Hono } from "hono";
import type { AppEnv } from "../../../lib/http/env.ts";
import { config } from "../../../lib/config.ts";
import { openApiDocument } from "../../../lib/api/openapi.ts";
// Each domain registers the operations it serves when its API slice is loaded (the routes load them too).
import "../../../lib/wallet/api.ts";
import "../../../lib/auth/api.ts";
import "../../../lib/tickets/api.ts";
import "../../../lib/notifications/api.ts";

const built = new Map<string, string>();

export const openApiRoute = new Hono<AppEnv>().get("/", (c) => {
  const origin = config().APP_URL;
  let text = built.get(origin);
  if (!text) built.set(origin, text = JSON.stringify(openApiDocument(origin)));
  return c.body(text, 200, { "content-type": "application/json" });
});
