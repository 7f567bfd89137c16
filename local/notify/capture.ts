/**
 * What the messaging stand-ins share: the capture into _dev.outbox (batched: one INSERT per burst, so the
 * benchmark measures the dispatcher rather than this), per-provider faults, counts by outbox id (duplicates),
 * and the delivery callbacks they send back (a bounded queue, retried a few times like the real services).
 */
import type postgres from "postgres";

export type ProviderKey = "resend" | "twilio" | "kavenegar" | "smsir" | "smtp";

export interface FaultSettings {
  /** 0..1: the share of requests answered with a retryable error. */
  failure_rate: number;
  /** Added to every request. */
  latency_ms: number;
  /** Every request fails (503 / the provider's own "try later"). */
  down: boolean;
  /** 0..1: the share of delivery reports (pushes, callbacks) that are lost on the way. */
  lose_reports?: number;
}

/**
 * How an accepted SMS moves at the stand-ins that answer status polls (Kavenegar, SMS.ir): queued until
 * `sent_after_ms`, then at the operator, then `final_status` from `final_after_ms` on (the push, if any, goes
 * then). `clock_offset_ms` moves the stand-in's clock (a test ages its messages past the status windows).
 */
export interface Lifecycle {
  sent_after_ms: number;
  final_after_ms: number;
  /** The provider's own final code: Kavenegar 10 delivered, 11 undelivered, 6/13/14; SMS.ir 1 delivered, 2 not. */
  final_status?: number;
  clock_offset_ms: number;
}

export interface Captured {
  channel: "email" | "sms" | "whatsapp";
  provider: ProviderKey;
  recipient: string;
  sender: string | null;
  subject: string | null;
  body_text: string | null;
  /** The message's HTML part, when it has one (email). */
  body_html?: string | null;
  outbox_id: string | null;
  provider_message_id: string;
}

const NO_FAULTS: FaultSettings = { failure_rate: 0, latency_ms: 0, down: false, lose_reports: 0 };
/** By default a message is final (delivered) as soon as it is accepted, and its push goes at once. */
const IMMEDIATE: Lifecycle = { sent_after_ms: 0, final_after_ms: 0, clock_offset_ms: 0 };

export class SandboxState {
  faults = new Map<ProviderKey, FaultSettings>();
  lifecycles = new Map<ProviderKey, Lifecycle>();
  /** Delivery reports dropped by `lose_reports`. */
  reportsLost = 0;
  /** outbox id → times accepted, per provider. */
  accepted = new Map<ProviderKey, Map<string, number>>();
  callbacksSent = 0;
  /** Delivery reports on (the benchmark's baseline turns them off: it measures the stand-ins alone). */
  callbacksEnabled = true;
  callbacksFailed = 0;
  #queue: Captured[] = [];
  #flushing: Promise<void> | undefined;
  #callbacks: (() => Promise<void>)[] = [];
  #inFlight = 0;
  #scheduled = 0;

  constructor(private readonly sql: postgres.Sql) {}

  faultsOf(provider: ProviderKey): FaultSettings {
    return this.faults.get(provider) ?? NO_FAULTS;
  }

  lifecycleOf(provider: ProviderKey): Lifecycle {
    return this.lifecycles.get(provider) ?? IMMEDIATE;
  }

  /** The stand-in's clock for a provider (ms): the real one plus the lifecycle's offset. */
  now(provider: ProviderKey): number {
    return Date.now() + this.lifecycleOf(provider).clock_offset_ms;
  }

  /** True when this delivery report is to be lost (drawn by lose_reports); counts it. */
  loseReport(provider: ProviderKey): boolean {
    const rate = this.faultsOf(provider).lose_reports ?? 0;
    const lost = rate > 0 && Math.random() < rate;
    if (lost) this.reportsLost++;
    return lost;
  }

  /** Applies latency; true when this request must fail (down, or drawn by failure_rate). */
  async injectFault(provider: ProviderKey): Promise<boolean> {
    const f = this.faultsOf(provider);
    if (f.latency_ms > 0) await new Promise((r) => setTimeout(r, f.latency_ms));
    return f.down || (f.failure_rate > 0 && Math.random() < f.failure_rate);
  }

  reset(provider?: ProviderKey) {
    if (provider) {
      this.faults.delete(provider);
      this.lifecycles.delete(provider);
      this.accepted.delete(provider);
    } else {
      this.faults.clear();
      this.lifecycles.clear();
      this.accepted.clear();
      this.callbacksSent = 0;
      this.callbacksFailed = 0;
      this.reportsLost = 0;
    }
  }

  stats(provider?: ProviderKey) {
    const providers = provider ? [provider] : [...this.accepted.keys()];
    let messages = 0;
    let duplicates = 0;
    const ids = new Set<string>();
    for (const p of providers) {
      for (const [id, n] of this.accepted.get(p) ?? []) {
        messages += n;
        if (ids.has(id)) duplicates += n;
        else {
          ids.add(id);
          duplicates += n - 1;
        }
      }
    }
    return {
      messages,
      distinct_outbox_ids: ids.size,
      duplicates,
      callbacks_sent: this.callbacksSent,
      callbacks_failed: this.callbacksFailed,
      reports_lost: this.reportsLost,
    };
  }

  /** Records an accepted message (counted now, written to _dev.outbox in the next batch). */
  capture(message: Captured) {
    if (message.outbox_id) {
      const counts = this.accepted.get(message.provider) ?? new Map<string, number>();
      counts.set(message.outbox_id, (counts.get(message.outbox_id) ?? 0) + 1);
      this.accepted.set(message.provider, counts);
    }
    this.#queue.push(message);
    this.#flushing ??= new Promise((r) => setTimeout(r, 5)).then(() => this.#flush());
  }

  async #flush(): Promise<void> {
    const batch = this.#queue.splice(0, this.#queue.length);
    try {
      if (batch.length > 0) {
        await this
          .sql`insert into _dev.outbox (channel, provider, recipient, sender, subject, body_text, body_html, metadata)
          select m.channel, m.provider, m.recipient, m.sender, m.subject, m.body_text, m.body_html,
                 jsonb_build_object('outbox_id', m.outbox_id, 'provider_message_id', m.provider_message_id)
          from jsonb_to_recordset(${
          JSON.stringify(batch)
        }::text::jsonb) as m (channel text, provider text, recipient text,
            sender text, subject text, body_text text, body_html text, outbox_id text, provider_message_id text)`;
      }
    } catch (error) {
      console.error(`[sandbox] capture failed: ${error}`);
    } finally {
      this.#flushing = undefined;
      if (this.#queue.length > 0) this.#flushing = this.#flush();
    }
  }

  /** Waits until every captured message is written (tests read _dev.outbox after this). */
  async flushed(): Promise<void> {
    while (this.#flushing) await this.#flushing;
  }

  /**
   * Queues a delivery callback, after `delayMs` (a message's final status comes later than its acceptance); at
   * most 64 in flight, each retried up to 3 times on a non-2xx.
   */
  callback(send: () => Promise<Response>, delayMs = 0) {
    if (!this.callbacksEnabled) return;
    if (delayMs > 0) {
      this.#scheduled++;
      setTimeout(() => {
        this.#scheduled--;
        this.callback(send);
      }, delayMs);
      return;
    }
    this.#callbacks.push(async () => {
      for (let attempt = 1; attempt <= 3; attempt++) {
        try {
          const response = await send();
          await response.body?.cancel();
          if (response.ok) {
            this.callbacksSent++;
            return;
          }
        } catch { /* retried */ }
        await new Promise((r) => setTimeout(r, 50 * attempt));
      }
      this.callbacksFailed++;
    });
    this.#pump();
  }

  #pump() {
    while (this.#inFlight < 64 && this.#callbacks.length > 0) {
      const job = this.#callbacks.shift()!;
      this.#inFlight++;
      job().finally(() => {
        this.#inFlight--;
        this.#pump();
      });
    }
  }

  /** Waits until no callback is scheduled, queued or in flight. */
  async callbacksDone(): Promise<void> {
    while (this.#inFlight > 0 || this.#callbacks.length > 0 || this.#scheduled > 0) {
      await new Promise((r) => setTimeout(r, 10));
    }
  }
}
