/** Server-side handles for the islands: render on the server, hydrate in the browser. */
import { island } from "./Island.tsx";
import { AmountPreview } from "../islands/AmountPreview.tsx";
import { BroadcastProgress } from "../islands/BroadcastProgress.tsx";
import { LiveBalance } from "../islands/LiveBalance.tsx";
import { LiveReplies } from "../islands/LiveReplies.tsx";
import { LocaleSwitcher } from "../islands/LocaleSwitcher.tsx";
import { NotificationBell } from "../islands/NotificationBell.tsx";
import { PasswordStrength } from "../islands/PasswordStrength.tsx";
import { TemplatePreview } from "../islands/TemplatePreview.tsx";
import { TicketQueueLive } from "../islands/TicketQueueLive.tsx";
import { TicketWorkLive } from "../islands/TicketWorkLive.tsx";

export const AmountPreviewIsland = island("AmountPreview", AmountPreview);
export const BroadcastProgressIsland = island("BroadcastProgress", BroadcastProgress);
export const LiveBalanceIsland = island("LiveBalance", LiveBalance);
export const LiveRepliesIsland = island("LiveReplies", LiveReplies);
export const LocaleSwitcherIsland = island("LocaleSwitcher", LocaleSwitcher);
export const NotificationBellIsland = island("NotificationBell", NotificationBell);
export const PasswordStrengthIsland = island("PasswordStrength", PasswordStrength);
export const TemplatePreviewIsland = island("TemplatePreview", TemplatePreview);
export const TicketQueueLiveIsland = island("TicketQueueLive", TicketQueueLive);
export const TicketWorkLiveIsland = island("TicketWorkLive", TicketWorkLive);
