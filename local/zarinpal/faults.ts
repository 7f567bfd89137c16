/** Fault injection for the sandbox: outages, slowness, hangs, forced failures, rate limits, call counts. */

export const ENDPOINTS = [
  "request",
  "verify",
  "unVerified",
  "inquiry",
  "reverse",
  "feeCalculation",
  "refresh",
  "startPay",
] as const;
export type Endpoint = typeof ENDPOINTS[number];

export class Faults {
  down = new Set<Endpoint | "all">();
  delays = new Map<Endpoint, number>();
  timeouts = new Map<Endpoint, number[]>();
  failures = new Map<Endpoint, number[]>();
  verifyCalls = new Map<string, number>();
  #calls = new Map<string, number[]>();
  #sleepers = new Set<() => void>();

  isDown(endpoint: Endpoint): boolean {
    return this.down.has("all") || this.down.has(endpoint);
  }

  /** Queues a one-shot item (a forced code or a hang) for the endpoint's next call. */
  queue(map: Map<Endpoint, number[]>, endpoint: Endpoint, value: number): void {
    map.set(endpoint, [...(map.get(endpoint) ?? []), value]);
  }

  take(map: Map<Endpoint, number[]>, endpoint: Endpoint): number | undefined {
    return map.get(endpoint)?.shift();
  }

  countVerify(authority: unknown): void {
    if (typeof authority === "string") {
      this.verifyCalls.set(authority, (this.verifyCalls.get(authority) ?? 0) + 1);
    }
  }

  /** Records a call and tells whether it is over `limit` calls in the trailing window. */
  overLimit(key: string, nowMs: number, limit: { max: number; windowMs: number } | null): boolean {
    if (!limit) return false;
    const recent = (this.#calls.get(key) ?? []).filter((t) => nowMs - t < limit.windowMs);
    recent.push(nowMs);
    this.#calls.set(key, recent);
    return recent.length > limit.max;
  }

  /** Waits `ms`, or less if the sandbox is reset meanwhile (so tests leave no timers behind). */
  sleep(ms: number): Promise<void> {
    if (ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#sleepers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.#sleepers.add(done);
    });
  }

  reset(): void {
    for (const wake of [...this.#sleepers]) wake();
    this.down.clear();
    this.delays.clear();
    this.timeouts.clear();
    this.failures.clear();
    this.verifyCalls.clear();
    this.#calls.clear();
  }
}
