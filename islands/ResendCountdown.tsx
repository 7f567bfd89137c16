/**
 * The code page's resend button. Without JavaScript it is a plain submit button (Auth and the app's limits
 * refuse a resend that comes too soon, with the wait spelled out). With JavaScript it counts down the
 * seconds until a new code may be asked for, and only then can be pressed.
 */
import { useSignal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import { numberFormat } from "../lib/i18n/format.ts";

export interface ResendCountdownProps extends Record<string, unknown> {
  locale: "fa" | "en";
  /** Seconds until a new code may be sent, when the page was rendered. */
  seconds: number;
  label: string;
  /** "Resend in {n} s": `{n}` is replaced by the remaining seconds in the locale's digits. */
  waitTemplate: string;
}

export function ResendCountdown({ locale, seconds, label, waitTemplate }: ResendCountdownProps) {
  // 0 on the server and at hydration (Preact's hydrate keeps the server's attributes): the effect then starts
  // the countdown, and that change re-renders the button disabled.
  const left = useSignal(0);
  useEffect(() => {
    left.value = Math.max(0, Math.ceil(seconds));
    const started = Date.now();
    const timer = setInterval(() => {
      left.value = Math.max(0, Math.ceil(seconds - (Date.now() - started) / 1000));
      if (left.value === 0) clearInterval(timer);
    }, 250);
    return () => clearInterval(timer);
  }, [seconds]);
  const n = numberFormat(locale === "fa" ? "fa-IR" : "en-US").format(left.value);
  const waiting = left.value > 0;
  return (
    <button type="submit" class="secondary" id="resend" disabled={waiting} aria-live="polite">
      {waiting ? waitTemplate.replace("{n}", n) : label}
    </button>
  );
}
