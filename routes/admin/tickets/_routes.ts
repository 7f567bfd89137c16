// routes/admin/tickets/_routes.ts — the staff help desk under /admin/tickets (the admin guard covers it; each
// action adds requirePermission("tickets.manage"))
import { Hono } from "hono";
import type { AppEnv } from "../../../lib/http/env.ts";
import { adminTicketQueue } from "./index.tsx";
import { adminTicketCanned } from "./canned.tsx";
import { adminTicketEvents } from "./events.ts";
import { adminTicketWork } from "./[id].tsx";

export const adminTickets = new Hono<AppEnv>()
  .route("/", adminTicketQueue)
  .route("/canned", adminTicketCanned)
  .route("/", adminTicketEvents)
  .route("/", adminTicketWork);
