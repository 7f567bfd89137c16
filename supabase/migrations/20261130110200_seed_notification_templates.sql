-- Purpose: the starting templates of every notification event, in fa and en, for each channel (in_app, email,
--          sms, whatsapp). Staff with `notifications.manage` edit them afterwards (the admin template editor);
--          this migration only seeds. tests/unit/notification_templates_test.ts checks that every event has every
--          channel in both locales and uses only its declared variables.
-- Access: unchanged. Risk: low (data only).

with texts (event, locale, title, body) as (values
  ('payment.settled', 'fa', 'شارژ کیف پول', 'مبلغ {{amount|toman}} تومان به کیف پول شما افزوده شد. کد پیگیری: {{ref_id}}'),
  ('payment.settled', 'en', 'Wallet topped up', '{{amount|toman}} tomans were added to your wallet. Reference: {{ref_id}}'),
  ('payment.failed', 'fa', 'پرداخت ناموفق', 'پرداخت {{amount|toman}} تومانی شما انجام نشد و مبلغی کسر نشد.'),
  ('payment.failed', 'en', 'Payment failed', 'Your payment of {{amount|toman}} tomans did not go through; nothing was charged.'),
  ('payment.needs_review', 'fa', 'پرداخت در حال بررسی', 'پرداخت {{amount|toman}} تومانی شما نیاز به بررسی دارد. پشتیبانی پیگیری می‌کند.'),
  ('payment.needs_review', 'en', 'Payment under review', 'Your payment of {{amount|toman}} tomans needs a review; support will follow it up.'),
  ('transfer.received', 'fa', 'دریافت وجه', '{{amount|toman}} تومان از {{sender}} به کیف پول شما رسید.'),
  ('transfer.received', 'en', 'Money received', '{{amount|toman}} tomans arrived from {{sender}}.'),
  ('withdrawal.requested', 'fa', 'درخواست برداشت', 'درخواست برداشت {{amount|toman}} تومان ثبت شد.'),
  ('withdrawal.requested', 'en', 'Withdrawal requested', 'Your withdrawal of {{amount|toman}} tomans was requested.'),
  ('withdrawal.paid', 'fa', 'برداشت پرداخت شد', 'برداشت {{amount|toman}} تومانی شما پرداخت شد.'),
  ('withdrawal.paid', 'en', 'Withdrawal paid', 'Your withdrawal of {{amount|toman}} tomans was paid out.'),
  ('withdrawal.rejected', 'fa', 'برداشت رد شد', 'برداشت {{amount|toman}} تومانی شما رد شد: {{reason}}'),
  ('withdrawal.rejected', 'en', 'Withdrawal rejected', 'Your withdrawal of {{amount|toman}} tomans was rejected: {{reason}}'),
  ('refund.done', 'fa', 'بازپرداخت', 'مبلغ {{amount|toman}} تومان بازپرداخت شد.'),
  ('refund.done', 'en', 'Refund done', '{{amount|toman}} tomans were refunded.'),
  ('ticket.replied', 'fa', 'پاسخ به تیکت {{number}}', 'پشتیبانی به تیکت «{{subject}}» پاسخ داد.'),
  ('ticket.replied', 'en', 'Reply on ticket {{number}}', 'Support replied to your ticket "{{subject}}".'),
  ('ticket.status_changed', 'fa', 'وضعیت تیکت {{number}}', 'وضعیت تیکت «{{subject}}» تغییر کرد: {{status}}'),
  ('ticket.status_changed', 'en', 'Ticket {{number}} updated', 'Your ticket "{{subject}}" is now {{status}}.'),
  ('ticket.opened', 'fa', 'تیکت تازه {{number}}', 'تیکت تازه‌ای ثبت شد: «{{subject}}»'),
  ('ticket.opened', 'en', 'New ticket {{number}}', 'A new ticket was opened: "{{subject}}"'),
  ('ticket.mentioned', 'fa', 'نام شما در تیکت {{number}}', 'در یادداشت تیکت «{{subject}}» از شما نام برده شد.'),
  ('ticket.mentioned', 'en', 'Mentioned on {{number}}', 'You were mentioned in a note on "{{subject}}".'),
  ('ticket.assigned', 'fa', 'تیکت {{number}} به شما سپرده شد', 'تیکت «{{subject}}» به شما سپرده شد.'),
  ('ticket.assigned', 'en', 'Ticket {{number}} assigned', 'The ticket "{{subject}}" was assigned to you.'),
  ('ticket.sla_warning', 'fa', 'مهلت تیکت {{number}}', 'مهلت پاسخ به تیکت «{{subject}}» رو به پایان است.'),
  ('ticket.sla_warning', 'en', 'SLA warning on {{number}}', 'The ticket "{{subject}}" is close to its SLA deadline.'),
  ('ticket.sla_breach', 'fa', 'مهلت تیکت {{number}} گذشت', 'مهلت پاسخ به تیکت «{{subject}}» گذشته است.'),
  ('ticket.sla_breach', 'en', 'SLA breached on {{number}}', 'The ticket "{{subject}}" has missed its SLA deadline.'),
  ('security.password_changed', 'fa', 'گذرواژه تغییر کرد', 'گذرواژه حساب پیشخوان شما تغییر کرد. اگر شما نبودید، فوراً با پشتیبانی تماس بگیرید.'),
  ('security.password_changed', 'en', 'Password changed', 'Your Pishkhan password was changed. If this was not you, contact support at once.'),
  ('security.email_changed', 'fa', 'ایمیل تغییر کرد', 'ایمیل حساب پیشخوان شما به {{email}} تغییر کرد. اگر شما نبودید، با پشتیبانی تماس بگیرید.'),
  ('security.email_changed', 'en', 'Email changed', 'Your Pishkhan email address was changed to {{email}}. If this was not you, contact support.'),
  ('security.new_sign_in', 'fa', 'ورود تازه', 'ورود تازه به حساب پیشخوان شما از {{ip}} ({{user_agent}}).'),
  ('security.new_sign_in', 'en', 'New sign-in', 'New sign-in to your Pishkhan account from {{ip}} ({{user_agent}}).'),
  ('security.role_changed', 'fa', 'نقش حساب تغییر کرد', 'نقش حساب پیشخوان شما اکنون {{role}} است.'),
  ('security.role_changed', 'en', 'Role changed', 'Your Pishkhan account''s role is now {{role}}.'),
  ('account.email_bounced', 'fa', 'ایمیل شما دریافت نشد', 'ایمیل‌ها به {{email}} برگشت خوردند؛ ارسال ایمیل به این نشانی متوقف شد. نشانی را در نمایه به‌روز کنید.'),
  ('account.email_bounced', 'en', 'Your email bounced', 'Mail to {{email}} bounced, so email to it is off. Update the address in your profile.'),
  ('broadcast.message', 'fa', '{{subject}}', '{{body}}'),
  ('broadcast.message', 'en', '{{subject}}', '{{body}}'),
  ('digest.daily', 'fa', 'خلاصه روزانه پیشخوان', '{{count}} پیام تازه:
{{items}}'),
  ('digest.daily', 'en', 'Your Pishkhan daily digest', '{{count}} new messages:
{{items}}'),
  ('raw.sms', 'fa', 'پیامک', '{{body}}'),
  ('raw.sms', 'en', 'SMS', '{{body}}'),
  ('raw.email', 'fa', '{{subject}}', '{{body}}'),
  ('raw.email', 'en', '{{subject}}', '{{body}}')
)
insert into public.notification_templates (event, channel, locale, subject, body)
select t.event, c.channel, t.locale,
       case when c.channel in ('in_app', 'email') then t.title else '' end,
       case
         when c.channel = 'email' and t.event not in ('raw.email', 'broadcast.message') then
           t.body || case when t.locale = 'fa' then E'\n\n— پیشخوان' else E'\n\n— Pishkhan' end
         when c.channel in ('sms', 'whatsapp') and t.event not in ('raw.sms', 'broadcast.message') then
           case when t.locale = 'fa' then 'پیشخوان: ' else 'Pishkhan: ' end || t.body
         else t.body end
from texts t cross join (values ('in_app'), ('email'), ('sms'), ('whatsapp')) as c (channel)
on conflict do nothing;
