-- Purpose: the payments state machine with `cancelled` (issue 10). A payment the payer cancelled at Zarinpal
--          (the callback came back with Status=NOK, verify answered -51 and the gateway's inquiry says the
--          session is over unpaid) is closed as `cancelled`; a real failure (refused, unverifiable) stays
--          `failed`, an unpaid one past its time `expired`. Until now a cancellation was `failed` with
--          failure_reason 'cancelled'; those rows become `cancelled`.
--          pending → verified | failed | cancelled | expired, verified → refunded.
-- Access: unchanged (payments.close stays service_role only). Risk: medium (payments); no money moves: only
--          closed, uncredited payments change status, and settle() already flags money verified on any
--          payment that is no longer pending (so a cancelled one is flagged, never credited).

-- Existing cancellations, before the new constraint (the guard would refuse failed → cancelled).
alter table public.payments disable trigger payments_guard;
update public.payments set status = 'cancelled' where status = 'failed' and failure_reason = 'cancelled';
alter table public.payments enable trigger payments_guard;

alter table public.payments drop constraint payments_closed_has_time;
alter table public.payments add constraint payments_closed_has_time
  check ((status in ('failed', 'cancelled', 'expired')) = (closed_at is not null));
-- A cancelled payment is exactly one closed with the reason 'cancelled'.
alter table public.payments add constraint payments_cancelled_by_payer
  check ((status = 'cancelled') = (failure_reason is not distinct from 'cancelled'));

create or replace function private.payments_guard() returns trigger
language plpgsql set search_path = '' as $$
begin
  if tg_op = 'DELETE' then
    raise exception 'payments are kept forever: delete is not allowed' using errcode = 'PY003';
  end if;
  if (new.id, new.gateway, new.merchant_key, new.amount, new.description, new.created_at, new.expires_at)
     is distinct from
     (old.id, old.gateway, old.merchant_key, old.amount, old.description, old.created_at, old.expires_at)
     or (new.user_id is distinct from old.user_id and new.user_id is not null) then
    raise exception 'immutable' using errcode = 'PY003',
      detail = 'A payment''s owner, terminal, amount, description and times never change.';
  end if;
  if old.authority is not null and new.authority is distinct from old.authority then
    raise exception 'immutable' using errcode = 'PY003', detail = 'A payment''s authority never changes.';
  end if;
  if new.status is distinct from old.status and not (
    (old.status = 'pending' and new.status in ('verified', 'failed', 'cancelled', 'expired'))
    or (old.status = 'verified' and new.status = 'refunded')
  ) then
    raise exception 'invalid_transition' using errcode = 'PY002',
      detail = format('payment %s: %s → %s is not allowed', old.id, old.status, new.status);
  end if;
  if old.status <> 'pending' and (new.ref_id, new.card_pan, new.card_hash, new.ledger_transaction_id,
      new.verified_at) is distinct from (old.ref_id, old.card_pan, old.card_hash, old.ledger_transaction_id,
      old.verified_at) then
    raise exception 'immutable' using errcode = 'PY003', detail = 'A settled payment''s gateway data never changes.';
  end if;
  new.updated_at := now();
  return new;
end $$;
comment on function private.payments_guard() is
  'The payments state machine (pending → verified | failed | cancelled | expired, verified → refunded) and immutable columns, for everyone.';

create or replace function payments.close(
  payment_id bigint, new_status public.payment_status, reason text, code integer default null,
  message text default null
) returns public.payment_status
language plpgsql security definer set search_path = '' as $$
declare
  result public.payment_status;
begin
  if new_status not in ('failed', 'cancelled', 'expired') then
    raise exception 'invalid_transition' using errcode = 'PY002',
      detail = 'close() fails, cancels or expires a payment.';
  end if;
  if (new_status = 'cancelled') <> (reason is not distinct from 'cancelled') then
    raise exception 'invalid_transition' using errcode = 'PY002',
      detail = 'A payment is cancelled exactly when the payer cancelled it (reason ''cancelled'').';
  end if;
  update public.payments p
  set status = new_status, closed_at = now(), failure_reason = reason, failure_code = code,
      failure_message = left(message, 500)
  where p.id = close.payment_id and p.status = 'pending'
  returning p.status into result;
  if result is null then
    select p.status into result from public.payments p where p.id = close.payment_id;
    if result is null then
      raise exception 'payment_not_found' using errcode = 'PY001';
    end if;
  end if;
  return result;
end $$;
comment on function payments.close(bigint, public.payment_status, text, integer, text) is
  'Fails, cancels (the payer cancelled at the gateway) or expires a pending payment, with the reason and the gateway''s code; a settled one is left alone. Returns the status.';

create or replace view analytics.payments_conversion with (security_invoker = false) as
  select (p.created_at at time zone 'Asia/Tehran')::date as day,
         count(*) as started,
         count(*) filter (where p.status in ('verified', 'refunded')) as paid,
         count(*) filter (where p.status = 'cancelled') as cancelled,
         count(*) filter (where p.status = 'failed') as failed,
         count(*) filter (where p.status = 'expired') as expired,
         count(*) filter (where p.status = 'pending') as pending,
         count(*) filter (where p.status = 'refunded') as refunded,
         round(count(*) filter (where p.status in ('verified', 'refunded'))::numeric / count(*), 4)
           as conversion_rate,
         sum(p.amount) filter (where p.status in ('verified', 'refunded'))::bigint as paid_rials,
         round(extract(epoch from avg(p.verified_at - p.created_at) filter (where p.verified_at is not null)))::bigint
           as average_seconds_to_pay
  from public.payments p
  group by 1;
