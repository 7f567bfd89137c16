/** Starts the whole local stack in-process on free ports, against the test database (e2e tests). */
import { freePort } from "../../local/postgres.ts";
import { type Stack, startStack } from "../../local/stack.ts";
import { localMounts } from "../../local/mounts.ts";

export async function startTestStack(): Promise<Stack> {
  const databaseUrl = Deno.env.get("DATABASE_URL");
  if (!databaseUrl) throw new Error("DATABASE_URL is not set: run through `deno task test`.");
  // Test stacks share one database: their gateways must not send each other's outbox rows. The notification
  // tests drive the dispatcher themselves (tests/_support/notify_harness.ts).
  if (!Deno.env.get("NOTIFICATIONS_DISPATCH")) Deno.env.set("NOTIFICATIONS_DISPATCH", "off");
  const storageRoot = await Deno.makeTempDir({ prefix: "pishkhan-storage-" });
  // Stacks are often stopped from an unload listener, where async clean-up never finishes.
  addEventListener("unload", () => Deno.removeSync(storageRoot, { recursive: true }));
  // A free port is only free when picked: another test's stack may take it first, so try new ones.
  for (let attempt = 1;; attempt++) {
    try {
      return await startStack({
        databaseUrl,
        gatewayPort: freePort(),
        appPort: freePort(),
        storageRoot,
        mounts: localMounts,
      });
    } catch (error) {
      if (!(error instanceof Deno.errors.AddrInUse) || attempt === 3) throw error;
    }
  }
}
