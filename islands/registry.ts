/** Every island the browser bundle can hydrate, by the name used in components/Island.tsx. */
import type { ComponentType } from "preact";
import { AmountPreview } from "./AmountPreview.tsx";
import { BroadcastActions } from "./BroadcastActions.tsx";
import { BroadcastProgress } from "./BroadcastProgress.tsx";
import { BroadcastStatus } from "./BroadcastStatus.tsx";
import { LiveBalance } from "./LiveBalance.tsx";
import { LiveReplies } from "./LiveReplies.tsx";
import { LocaleSwitcher } from "./LocaleSwitcher.tsx";
import { NotificationBell } from "./NotificationBell.tsx";
import { PasswordStrength } from "./PasswordStrength.tsx";
import { IbanInput } from "./IbanInput.tsx";
import { PersianDayPicker } from "./PersianDayPicker.tsx";
import { ResendCountdown } from "./ResendCountdown.tsx";
import { ReceiptActions } from "./ReceiptActions.tsx";
import { TemplatePreview } from "./TemplatePreview.tsx";
import { TicketQueueLive } from "./TicketQueueLive.tsx";
import { TicketWorkLive } from "./TicketWorkLive.tsx";

// deno-lint-ignore no-explicit-any -- each island declares its own props; the registry only looks them up by name
export const islands: Record<string, ComponentType<any>> = {
  AmountPreview,
  BroadcastActions,
  BroadcastProgress,
  BroadcastStatus,
  LiveBalance,
  LiveReplies,
  LocaleSwitcher,
  NotificationBell,
  PasswordStrength,
  IbanInput,
  PersianDayPicker,
  ResendCountdown,
  ReceiptActions,
  TemplatePreview,
  TicketQueueLive,
  TicketWorkLive,
};
