/**
 * Local payments wiring: the Zarinpal sandbox mounted on the gateway (its control kept for in-process tests) and
 * the Vault secrets `project_url` and `service_key` that pg_cron's payments-reconcile job reads (on Supabase, ops
 * set them once; see migration 20261124040200).
 */
import type { Hono } from "hono";
import type postgres from "postgres";
import { createZarinpalSandbox, type SandboxControl } from "./zarinpal/mod.ts";
import type { MountContext } from "./mounts.ts";

let control: SandboxControl | undefined;

/** The sandbox control of the most recently started stack (e2e tests pay, fail and inject faults with it). */
export function zarinpalControl(): SandboxControl {
  if (!control) throw new Error("the Zarinpal sandbox is not mounted: start the stack first");
  return control;
}

/** Creates or updates a Vault secret by name (vault.create_secret / vault.update_secret, as on Supabase). */
async function putSecret(sql: postgres.Sql, name: string, value: string): Promise<void> {
  const [existing] = await sql<{ id: string }[]>`select id from vault.secrets where name = ${name}`;
  if (existing) await sql`select vault.update_secret(${existing.id}::uuid, ${value})`;
  else await sql`select vault.create_secret(${value}, ${name})`;
}

/** Builds the sandbox for this stack and points the reconcile job at this stack's gateway. */
export async function mountZarinpal(ctx: MountContext): Promise<Hono> {
  const sandbox = createZarinpalSandbox();
  control = sandbox.control;
  await putSecret(ctx.sql, "project_url", ctx.gatewayUrl);
  await putSecret(ctx.sql, "service_key", ctx.keys.secretKey);
  return sandbox.app;
}
