// routes/tickets/_routes.ts — everything under /tickets (signed-in customers; each module brings its guard)
import { Hono } from "hono";
import type { AppEnv } from "../../lib/http/env.ts";
import { ticketList } from "./index.tsx";
import { ticketNew } from "./new.tsx";
import { ticketPage } from "./[id].tsx";
import { ticketEvents } from "./events.tsx";

export const tickets = new Hono<AppEnv>()
  .route("/", ticketList)
  .route("/new", ticketNew)
  .route("/", ticketPage)
  .route("/", ticketEvents);
