// routes/auth/signout.ts — POST /auth/signout (this device, or every device with scope=global)
import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../../lib/http/env.ts";
import { validate } from "../../lib/http/validate.ts";
import { signOut } from "../../lib/auth/sign_out.ts";
import { requestContext } from "../../lib/auth/request_context.ts";

const form = z.object({ scope: z.enum(["local", "global"]).default("local") });

export const signout = new Hono<AppEnv>().post("/", validate("form", form), async (c) => {
  const { scope } = c.req.valid("form");
  await signOut(c.var.auth(), c.var.claims, scope, requestContext(c));
  return c.redirect(`/signin?notice=${scope === "global" ? "signed_out_all" : "signed_out"}`, 303);
});
