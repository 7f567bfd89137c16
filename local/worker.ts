/**
 * The local worker: sends the requests queued by net.http_post (as pg_net does on Supabase) and, where
 * pg_cron is not installed, runs the cron shim's due jobs.
 */
import type { Sql } from "postgres";
import { Cron } from "croner";

interface QueuedRequest {
  id: number;
  method: string;
  url: string;
  headers: Record<string, string>;
  body: Uint8Array | null;
  timeout_milliseconds: number;
}

/** Claims and sends every queued request; each response (or error) lands in net._http_response. */
export async function drainHttpQueue(sql: Sql, stopping?: AbortSignal): Promise<number> {
  const batch = await sql<QueuedRequest[]>`
    delete from net.http_request_queue where id in (
      select id from net.http_request_queue order by id limit 20 for update skip locked)
    returning *`;
  await Promise.all(batch.map((request) => send(sql, request, stopping)));
  return batch.length;
}

async function send(sql: Sql, request: QueuedRequest, stopping?: AbortSignal): Promise<void> {
  try {
    const response = await fetch(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body ? new Uint8Array(request.body) : undefined,
      // A stopping worker drops what is in flight (as pg_net does when the database goes away), so a long
      // request (notifications-dispatch sweeping retries) does not hold the stop up.
      signal: stopping
        ? AbortSignal.any([AbortSignal.timeout(request.timeout_milliseconds), stopping])
        : AbortSignal.timeout(request.timeout_milliseconds),
    });
    const content = await response.text();
    await sql`insert into net._http_response (id, status_code, content_type, headers, content, timed_out)
      values (${request.id}, ${response.status}, ${response.headers.get("content-type")},
              ${sql.json(Object.fromEntries(response.headers))}, ${content}, false)`;
  } catch (error) {
    const timedOut = error instanceof DOMException && error.name === "TimeoutError";
    await sql`insert into net._http_response (id, timed_out, error_msg)
      values (${request.id}, ${timedOut}, ${String(error)})`;
  }
}

interface CronJob {
  jobid: number;
  schedule: string;
  command: string;
}

/** pg_cron's interval form ("30 seconds") next to the five-field cron form. */
function isDue(schedule: string, since: Date, now: Date): boolean {
  const interval = schedule.match(/^(\d+)\s+seconds?$/);
  if (interval) {
    const period = Number(interval[1]) * 1000;
    return Math.floor(now.getTime() / period) !== Math.floor(since.getTime() / period);
  }
  const next = new Cron(schedule, { timezone: "UTC" }).nextRun(since);
  return !!next && next <= now;
}

/** Runs the cron shim's jobs that fell due in (since, now], logging each to cron.job_run_details. */
export async function runDueCronJobs(sql: Sql, since: Date, now: Date): Promise<number> {
  const jobs = await sql<CronJob[]>`select jobid, schedule, command from cron.job where active`;
  const due = jobs.filter((job) => isDue(job.schedule, since, now));
  for (const job of due) {
    const started = new Date();
    let status = "succeeded";
    let message = "";
    try {
      await sql.unsafe(job.command);
    } catch (error) {
      status = "failed";
      message = String(error);
    }
    await sql`insert into cron.job_run_details (jobid, database, username, command, status, return_message,
        start_time, end_time)
      values (${job.jobid}, current_database(), current_user, ${job.command}, ${status}, ${message},
              ${started}, now())`;
  }
  return due.length;
}

export interface Worker {
  stop(): Promise<void>;
}

/** Polls every second and wakes at once on NOTIFY net_http_request. */
export async function startWorker(sql: Sql, options: { cronShim: boolean }): Promise<Worker> {
  let running = true;
  const stopping = new AbortController();
  let busy = Promise.resolve();
  let lastTick = new Date();
  const tick = () => {
    busy = busy.then(async () => {
      if (!running) return;
      try {
        await drainHttpQueue(sql, stopping.signal);
        const now = new Date();
        if (options.cronShim && Math.floor(now.getTime() / 1000) !== Math.floor(lastTick.getTime() / 1000)) {
          await runDueCronJobs(sql, lastTick, now);
          lastTick = now;
        }
      } catch (error) {
        if (running) console.error(`[worker] ${error}`);
      }
    });
  };
  const listener = await sql.listen("net_http_request", tick);
  const timer = setInterval(tick, 1000);
  return {
    async stop() {
      running = false;
      stopping.abort();
      clearInterval(timer);
      await listener.unlisten();
      await busy;
    },
  };
}
