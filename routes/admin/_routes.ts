// routes/admin/_routes.ts — the staff area under /admin, behind its guard, mounted together by main.ts
import { Hono } from "hono";
import type { AppEnv } from "../../lib/http/env.ts";
import { adminGuard } from "./_middleware.ts";
import { adminHome } from "./index.tsx";
import { adminUsers } from "./users/index.tsx";
import { adminUser } from "./users/[id].tsx";
import { adminAudit } from "./audit.tsx";

export const adminRoutes = new Hono<AppEnv>()
  .use("/admin/*", adminGuard) // also matches /admin itself
  .route("/", adminHome)
  .route("/", adminUsers)
  .route("/", adminUser)
  .route("/", adminAudit);
