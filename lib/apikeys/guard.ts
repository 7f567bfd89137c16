/** The API-key routes' guard: a request without a well-formed key is refused before its body is read. */
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../http/env.ts";
import { bearerApiKey } from "./store.ts";

/** Refuses (401) a request whose Authorization is not `Bearer pk_live_…`; SQL checks the key itself. */
export const requireApiKey = createMiddleware<AppEnv>(async (c, next) => {
  bearerApiKey(c.req.header("authorization"));
  await next();
});
