/**
 * wrk plumbing shared by the HTTP benches: the Lua that counts failed answers per thread and prints one
 * RESULT line, and a runner that parses it. A script defines `request()` (or sets wrk.path and headers) and
 * `response(status, headers, body)`, which increments `failures`.
 */

/** Lua: per-thread state and the RESULT line (requests, failures, seconds, p50 ms, p99 ms). */
export const WRK_RESULT_LUA = `
sent = 0
failures = 0
local threads = {}
function setup(thread) thread:set("id", #threads + 1); table.insert(threads, thread) end
function done(summary, latency)
  local failed = 0
  for _, t in ipairs(threads) do failed = failed + t:get("failures") end
  io.write(string.format("RESULT %d %d %f %f %f\\n", summary.requests, failed, summary.duration / 1e6,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
`;

export interface WrkResult {
  requests: number;
  failed: number;
  seconds: number;
  p50Ms: number;
  p99Ms: number;
}

/** Runs wrk (one thread) with `script` (which must include WRK_RESULT_LUA) against `url`. */
export async function runWrk(
  url: string,
  script: string,
  options: { connections: number; seconds: number; scriptPath: string; timeout?: string },
): Promise<WrkResult> {
  await Deno.writeTextFile(options.scriptPath, script);
  const args = ["-t", "1", "-c", String(options.connections), "-d", `${options.seconds}s`];
  if (options.timeout) args.push("--timeout", options.timeout);
  const out = await new Deno.Command("wrk", {
    args: [...args, "-s", options.scriptPath, url],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
  const match = text.match(/RESULT (\d+) (\d+) ([\d.]+) ([\d.]+) ([\d.]+)/);
  if (!out.success || !match) throw new Error(`wrk failed:\n${text}`);
  const [requests, failed, seconds, p50Ms, p99Ms] = match.slice(1).map(Number);
  if (failed) console.log(text.split("\n").filter((l) => l.startsWith("FAIL")).join("\n"));
  return { requests, failed, seconds, p50Ms, p99Ms };
}
