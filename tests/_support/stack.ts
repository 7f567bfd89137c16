/** Starts the whole local stack in-process on free ports, against the test database (e2e tests). */
import { freePort } from "../../local/postgres.ts";
import { type Stack, startStack } from "../../local/stack.ts";
import { localMounts } from "../../local/mounts.ts";

export async function startTestStack(): Promise<Stack> {
  const databaseUrl = Deno.env.get("DATABASE_URL");
  if (!databaseUrl) throw new Error("DATABASE_URL is not set: run through `deno task test`.");
  return await startStack({
    databaseUrl,
    gatewayPort: freePort(),
    appPort: freePort(),
    storageRoot: await Deno.makeTempDir({ prefix: "pishkhan-storage-" }),
    mounts: localMounts,
  });
}
