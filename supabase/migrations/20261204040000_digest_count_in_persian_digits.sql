-- Purpose: the daily digest email said «3 پیام تازه:» to Persian readers: its count went into the sentence as
--          a number, in Latin digits, where every other Persian text writes ۳. The count now also travels in
--          the reader's digits (data.by_locale.fa.count, which the dispatcher merges for a Persian recipient);
--          data.count stays the number.
-- Access: unchanged (create or replace).
-- Risk: low (display text only). Tested: tests/integration/notifications_rules_test.ts.

create or replace function notifications.build_digests() returns integer
language plpgsql security definer set search_path = '' as $$
declare
  made integer := 0;
  person record;
begin
  for person in
    with held as (
      update public.notification_outbox o set status = 'digested', updated_at = now()
      where o.status = 'held'
      returning o.user_id, o.channel, o.recipient, o.event, o.locale, o.data, o.id)
    select h.user_id, h.locale, min(h.recipient) filter (where h.channel = 'email') as email,
           count(*) filter (where h.channel = 'email') as n,
           string_agg('• ' || notifications.render(coalesce(t.subject, h.event), h.data, h.locale), E'\n' order by h.id)
             filter (where h.channel = 'email') as items
    from held h
    left join public.notification_templates t on t.event = h.event and t.channel = 'in_app' and t.locale = h.locale
    where h.user_id is not null
    group by h.user_id, h.locale
  loop
    continue when person.email is null or person.n = 0;
    insert into public.notification_outbox (category, channel, recipient, user_id, event, locale, data, dedupe_key)
    values ('broadcasts', 'email', person.email, person.user_id, 'digest.daily', person.locale,
            -- The count in the reader's digits (by_locale is merged over data in the recipient's language).
            jsonb_build_object('count', person.n, 'items', person.items,
              'by_locale', jsonb_build_object('fa', jsonb_build_object(
                'count', translate(person.n::text, '0123456789', '۰۱۲۳۴۵۶۷۸۹')))),
            'digest:' || person.user_id || ':' || (now() at time zone 'Asia/Tehran')::date)
    on conflict on constraint notification_outbox_dedupe do nothing;
    made := made + 1;
  end loop;
  delete from notifications.dedupe d where d.created_at < now() - interval '30 days';
  delete from notifications.early_reports e where e.received_at < now() - interval '1 day';
  return made;
end $$;

