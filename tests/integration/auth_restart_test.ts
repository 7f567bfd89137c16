import { assertEquals, assertStringIncludes } from "@std/assert";
import { freePort } from "../../local/postgres.ts";
import { loadLocalKeys } from "../../local/keys.ts";
import { startStackProcess } from "../_support/stack_process.ts";
import { Client, signIn } from "./auth_http_client.ts";

Deno.test("[auth session] restart — a signed-in user stays signed in when the app process restarts", async () => {
  const databaseUrl = Deno.env.get("DATABASE_URL")!;
  const dir = await Deno.makeTempDir({ prefix: "pishkhan-restart-" });
  const ports = { gatewayPort: freePort(), appPort: freePort(), keyFile: `${dir}/signing-key.json` };
  let stack = await startStackProcess({ databaseUrl, ...ports });
  try {
    const keys = await loadLocalKeys(ports.keyFile); // the key file the first process wrote
    const email = `restart-${crypto.randomUUID().slice(0, 8)}@test.pishkhan.local`;
    const made = await fetch(`${stack.gatewayUrl}/auth/v1/admin/users`, {
      method: "POST",
      headers: {
        apikey: keys.secretKey,
        authorization: `Bearer ${keys.secretKey}`,
        "content-type": "application/json",
      },
      body: JSON.stringify({ email, password: "Passw0rd-test", email_confirm: true }),
    });
    assertEquals(made.status, 200);
    await made.body?.cancel();
    const client = new Client(stack.appUrl, { "accept-language": "en" });
    await signIn(client, { email, password: "Passw0rd-test" });

    await stack.stop();
    stack = await startStackProcess({ databaseUrl, ...ports });

    const profile = await client.get("/profile");
    assertEquals(profile.status, 200);
    assertStringIncludes(await profile.text(), email);
  } finally {
    await stack.stop();
    await Deno.remove(dir, { recursive: true });
  }
});
