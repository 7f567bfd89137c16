/**
 * The local stack in a child process (a real app restart, with nothing kept in memory): `startStackProcess`
 * runs this file in `serve` mode on given ports and key file, and resolves once the app answers.
 */
import { localMounts } from "../../local/mounts.ts";
import { startStack } from "../../local/stack.ts";

export interface StackProcess {
  appUrl: string;
  gatewayUrl: string;
  stop(): Promise<void>;
}

export async function startStackProcess(
  options: { databaseUrl: string; gatewayPort: number; appPort: number; keyFile: string },
): Promise<StackProcess> {
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      new URL(import.meta.url).pathname,
      options.databaseUrl,
      String(options.gatewayPort),
      String(options.appPort),
      options.keyFile,
    ],
    env: { LOG_LEVEL: "silent" },
    stdout: "null",
    stderr: "inherit",
  }).spawn();
  const appUrl = `http://127.0.0.1:${options.appPort}`;
  for (let attempt = 0; attempt < 200; attempt++) {
    try {
      const res = await fetch(`${appUrl}/healthz`);
      await res.body?.cancel();
      if (res.ok) break;
    } catch { /* not listening yet */ }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    appUrl,
    gatewayUrl: `http://127.0.0.1:${options.gatewayPort}`,
    async stop() {
      child.kill("SIGTERM");
      await child.status;
    },
  };
}

if (import.meta.main) {
  const [databaseUrl, gatewayPort, appPort, keyFile] = Deno.args;
  const stack = await startStack({
    databaseUrl,
    gatewayPort: Number(gatewayPort),
    appPort: Number(appPort),
    keyFile,
    storageRoot: await Deno.makeTempDir({ prefix: "pishkhan-storage-" }),
    mounts: localMounts,
  });
  Deno.addSignalListener("SIGTERM", async () => {
    await stack.stop();
    Deno.exit(0);
  });
}
