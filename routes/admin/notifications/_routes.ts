// routes/admin/notifications/_routes.ts — the staff notification pages under /admin/notifications
import { Hono } from "hono";
import type { AppEnv } from "../../../lib/http/env.ts";
import { adminNotifications } from "./index.tsx";
import { adminTemplates } from "./templates.tsx";

export const adminNotificationPages = new Hono<AppEnv>()
  .route("/templates", adminTemplates)
  .route("/", adminNotifications);
