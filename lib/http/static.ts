/** Cache headers for static files: hashed build output is immutable, everything else revalidates. */
import { createMiddleware } from "hono/factory";

export const staticFiles = createMiddleware(async (c, next) => {
  await next();
  if (c.res.status !== 200) return;
  const immutable = c.req.path.startsWith("/static/build/");
  c.header("Cache-Control", immutable ? "public, max-age=31536000, immutable" : "public, max-age=300");
});
