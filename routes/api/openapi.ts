// routes/api/openapi.ts — GET /api/v1/openapi.json (public: the API's description, no data)
import { Hono } from "hono";
import type { AppEnv } from "../../lib/http/env.ts";
import { config } from "../../lib/config.ts";
import { openApiDocument } from "../../lib/api/openapi.ts";

export const openApiRoute = new Hono<AppEnv>().get(
  "/api/v1/openapi.json",
  (c) => c.json(openApiDocument(config().APP_URL)),
);
