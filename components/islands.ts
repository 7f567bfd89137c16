/** Server-side handles for the islands: render on the server, hydrate in the browser. */
import { island } from "./Island.tsx";
import { AmountPreview } from "../islands/AmountPreview.tsx";
import { LiveBalance } from "../islands/LiveBalance.tsx";
import { LiveReplies } from "../islands/LiveReplies.tsx";
import { LocaleSwitcher } from "../islands/LocaleSwitcher.tsx";
import { PasswordStrength } from "../islands/PasswordStrength.tsx";
import { IbanInput } from "../islands/IbanInput.tsx";
import { PersianDayPicker } from "../islands/PersianDayPicker.tsx";
import { ResendCountdown } from "../islands/ResendCountdown.tsx";
import { ReceiptActions } from "../islands/ReceiptActions.tsx";
import { TicketQueueLive } from "../islands/TicketQueueLive.tsx";
import { TicketWorkLive } from "../islands/TicketWorkLive.tsx";

export const AmountPreviewIsland = island("AmountPreview", AmountPreview);
export const LiveBalanceIsland = island("LiveBalance", LiveBalance);
export const LiveRepliesIsland = island("LiveReplies", LiveReplies);
export const LocaleSwitcherIsland = island("LocaleSwitcher", LocaleSwitcher);
export const PasswordStrengthIsland = island("PasswordStrength", PasswordStrength);
export const IbanInputIsland = island("IbanInput", IbanInput);
export const PersianDayPickerIsland = island("PersianDayPicker", PersianDayPicker);
export const ResendCountdownIsland = island("ResendCountdown", ResendCountdown);
export const ReceiptActionsIsland = island("ReceiptActions", ReceiptActions);
export const TicketQueueLiveIsland = island("TicketQueueLive", TicketQueueLive);
export const TicketWorkLiveIsland = island("TicketWorkLive", TicketWorkLive);
