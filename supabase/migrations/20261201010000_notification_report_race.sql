-- Purpose: a delivery report is never dropped when it races the dispatcher's complete() (#15 crash test: one
--          Kavenegar message stayed `sent` with 0 lost allowed). record_status updated the message by provider
--          message id; when that missed, it kept the report in notifications.early_reports only if no message
--          had the id yet. Under READ COMMITTED each statement of the function takes its own snapshot, so when
--          complete() committed the id between the two (the update did not see it, the check did), the report
--          was neither applied nor kept. Now a missed report is kept first and the update is tried again with a
--          newer snapshot; the kept copy goes once the report is applied, or if the message is already final
--          (a report for a final message changes nothing, as before). A copy kept while complete() is still
--          open is applied by complete() or, at the latest, by apply_early_reports() at the next claim.
-- Access: unchanged (service_role only).
-- Risk: low (same signature, owner and grants; one more insert and update on the early path only).

create or replace function notifications.record_status(provider text, provider_message_id text, status text, error text default null)
returns bigint
language plpgsql security definer set search_path = '' as $$
declare
  hit public.notification_outbox;
  kept boolean := false;
begin
  if record_status.status not in ('delivered', 'failed', 'bounced') then
    raise exception 'unknown delivery status' using errcode = 'NT002', detail = coalesce(record_status.status, '');
  end if;
  loop
    update public.notification_outbox o set
      status = record_status.status,
      delivered_at = case when record_status.status = 'delivered' then now() else o.delivered_at end,
      last_error = case when record_status.status = 'delivered' then o.last_error else left(record_status.error, 1000) end,
      updated_at = now()
    where o.provider = record_status.provider and o.provider_message_id = record_status.provider_message_id
      and o.status in ('sent', 'sending', 'queued', 'failed')
      and not (o.status = 'failed' and record_status.status = 'failed')
    returning o.* into hit;
    exit when hit.id is not null or kept;
    -- Nothing to update in that statement's snapshot: no message has this id yet, or it is final, or
    -- complete() recorded it after the snapshot was taken. Keep the report first, then look again (the next
    -- statement sees what committed since).
    insert into notifications.early_reports (provider, provider_message_id, status, error)
    values (record_status.provider, record_status.provider_message_id, record_status.status, record_status.error)
    on conflict on constraint early_reports_pkey do update set status = excluded.status, error = excluded.error;
    kept := true;
  end loop;
  if hit.id is null then
    -- Still nothing: the kept copy waits for complete() / apply_early_reports(), unless the message is final.
    delete from notifications.early_reports e
    where e.provider = record_status.provider and e.provider_message_id = record_status.provider_message_id
      and exists (select 1 from public.notification_outbox o
                  where o.provider = record_status.provider and o.provider_message_id = record_status.provider_message_id)
      and not exists (select 1 from public.notification_outbox o
                      where o.provider = record_status.provider and o.provider_message_id = record_status.provider_message_id
                        and o.status in ('sent', 'sending', 'queued', 'failed')
                        and not (o.status = 'failed' and record_status.status = 'failed'));
    return null;
  end if;
  if kept then
    delete from notifications.early_reports e
    where e.provider = record_status.provider and e.provider_message_id = record_status.provider_message_id;
  end if;
  insert into public.notification_attempts (outbox_id, attempt, provider, outcome, error)
  values (hit.id, hit.attempts, record_status.provider, 'callback',
          record_status.status || coalesce(': ' || record_status.error, ''));
  if record_status.status = 'bounced' and hit.channel = 'email' then
    insert into public.notification_suppressions (channel, address, reason)
    values ('email', hit.recipient, left(coalesce(record_status.error, 'hard bounce'), 500))
    on conflict do nothing;
    if hit.user_id is not null then
      perform notifications.deliver('account.email_bounced', hit.user_id, jsonb_build_object('email', hit.recipient),
        'bounce:' || hit.recipient, array['in_app'], null);
    end if;
  end if;
  return hit.id;
end $$;
comment on function notifications.record_status(text, text, text, text) is
  'Applies a provider delivery report (delivered / failed / bounced); a hard bounce suppresses the address and tells the user in-app. A report that finds no message to update is kept (early_reports) before it looks again, so one that races complete() is never dropped.';
