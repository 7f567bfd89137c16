/**
 * Retry schedule: the first retry after 10 s, doubling each time, with ±20 % jitter so that messages that failed
 * together do not come back together; at most 8 attempts in all (notification_outbox.max_attempts).
 */
export const FIRST_RETRY_MS = 10_000;
export const MAX_ATTEMPTS = 8;
export const JITTER = 0.2;

/**
 * The wait before the next attempt, after `attempt` attempts have failed (1 → ~10 s, 2 → ~20 s, …).
 * `random` is a number in [0, 1) (Math.random by default; tests pass their own).
 */
export function retryDelayMs(
  attempt: number,
  random: () => number = Math.random,
  firstMs = FIRST_RETRY_MS,
): number {
  const base = firstMs * 2 ** Math.max(0, attempt - 1);
  const factor = 1 + (random() * 2 - 1) * JITTER;
  return Math.round(base * factor);
}
