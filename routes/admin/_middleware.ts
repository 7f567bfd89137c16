// routes/admin/_middleware.ts — every /admin page needs `admin.access` and a session Auth still knows
import { every } from "hono/combine";
import { requireLiveSession, requirePermission } from "../../lib/auth/guards.ts";

export const adminGuard = every(requirePermission("admin.access"), requireLiveSession);
