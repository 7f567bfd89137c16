/** The web app: middleware and the route table. `export default` serves `deno serve`, tests and start. */
import { Hono } from "hono";
import { requestId } from "hono/request-id";
import { secureHeaders } from "hono/secure-headers";
import { csrf } from "hono/csrf";
import { logger } from "hono/logger";
import { serveStatic } from "hono/deno";
import { config } from "./lib/config.ts";
import type { AppEnv } from "./lib/http/env.ts";
import { locale } from "./lib/http/locale.ts";
import { notFound, onError } from "./lib/http/errors.tsx";
import { staticFiles } from "./lib/http/static.ts";
import { home } from "./routes/index.tsx";
import { healthz } from "./routes/healthz.ts";
import { signin } from "./routes/signin.tsx";
import { localeRoute } from "./routes/locale.ts";
import { session } from "./lib/auth/session.ts";
import { authRoutes } from "./routes/auth/_routes.ts";
import { profile } from "./routes/profile.tsx";
import { adminRoutes } from "./routes/admin/_routes.ts";

export function createApp() {
  const app = new Hono<AppEnv>();
  app.use(requestId());
  if (config().LOG_LEVEL === "debug" || config().LOG_LEVEL === "info") app.use(logger());
  app.use(secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
      imgSrc: ["'self'", "data:"],
      fontSrc: ["'self'"],
      connectSrc: ["'self'"],
      formAction: ["'self'", config().supabaseUrl],
      frameAncestors: ["'none'"],
      baseUri: ["'self'"],
      objectSrc: ["'none'"],
    },
  }));
  app.use(csrf({ origin: (origin) => origin === new URL(config().APP_URL).origin || isLoopback(origin) }));
  app.use("/static/*", staticFiles);
  app.use("/static/*", serveStatic({ root: "./" }));
  app.use(locale);
  app.use(session);
  app.onError(onError);
  app.notFound(notFound);

  app.route("/", home);
  app.route("/", healthz);
  app.route("/", signin);
  app.route("/", localeRoute);
  app.route("/", authRoutes);
  app.route("/", profile);
  app.route("/", adminRoutes);
  return app;
}

/** Local runs are reached as 127.0.0.1 or localhost on any port. */
function isLoopback(origin: string): boolean {
  return config().mode === "local" && /^http:\/\/(127\.0\.0\.1|localhost)(:\d+)?$/.test(origin);
}

export default createApp();
