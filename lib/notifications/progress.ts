/** A broadcast's progress bar numbers (pure: the progress island imports it). */
export interface Progress {
  recipients: number;
  total: number;
  sent: number;
  failed: number;
  remaining: number;
  cancelled: number;
  /** 0..100: finished rows (sent, failed, cancelled) of all rows; 100 when a finished broadcast made none. */
  percent: number;
}

export function percentDone(counts: Omit<Progress, "recipients" | "percent">, status: string): number {
  const finished = counts.sent + counts.failed + counts.cancelled;
  if (counts.total === 0) return status === "done" || status === "cancelled" ? 100 : 0;
  return Math.floor((finished * 100) / counts.total);
}
