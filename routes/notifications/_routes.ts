// routes/notifications/_routes.ts — the notification center under /notifications
import { Hono } from "hono";
import type { AppEnv } from "../../lib/http/env.ts";
import { notificationCenter } from "./index.tsx";

export const notifications = new Hono<AppEnv>().route("/", notificationCenter);
