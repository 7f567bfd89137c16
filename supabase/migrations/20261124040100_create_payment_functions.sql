-- Purpose: the payments API. A signed-in user opens a pending payment (payments.create_pending); the server
--          (service_role) attaches the gateway's authority, records every exchange, settles exactly once
--          (payments.settle: state change + ledger credit in one transaction, idempotent by payment id), fails,
--          expires or flags payments; staff with `payments.refund` start refunds (wallet debit first) and the
--          server completes or compensates them after the gateway's reverse. payments.staff_payments lists
--          payments with the payer's email for staff.
-- Access: create_pending and begin_refund are callable by authenticated users (checked inside); everything
--         else by service_role only. All SECURITY DEFINER with search_path ''.
-- Risk: high (money). Exactly-once: settle locks the payment row, and the ledger credit's idempotency key
--       is payment:<id>, so concurrent or replayed callbacks credit once. A verified amount that differs from
--       the requested one is never credited; the payment stays pending and is flagged for finance.

-- opening and the gateway's answer -------------------------------------------------------------------
create function payments.create_pending(
  amount bigint, description text, merchant_key text, ttl_seconds integer default 1800
) returns bigint
language plpgsql security definer set search_path = '' as $$
declare
  caller uuid := auth.uid();
  open_count integer;
  new_id bigint;
begin
  if caller is null then
    raise exception 'not_authenticated' using errcode = 'PY010';
  end if;
  if amount is null or amount <= 0 or amount > 1000000000000000 then
    raise exception 'invalid_amount' using errcode = 'PY008', detail = 'The amount must be a positive number of rials.';
  end if;
  if ttl_seconds is null or ttl_seconds not between 60 and 86400
     or description is null or length(description) not between 1 and 500
     or merchant_key is null or merchant_key !~ '^[0-9a-f]{16}$' then
    raise exception 'invalid_input' using errcode = 'PY012';
  end if;
  -- One opener at a time per user, so the count below cannot be raced past.
  perform pg_advisory_xact_lock(hashtextextended('payments.create_pending:' || caller::text, 0));
  select count(*) into open_count from public.payments p
  where p.user_id = caller and p.status = 'pending' and p.created_at > now() - interval '1 hour';
  if open_count >= 10 then
    raise exception 'too_many_pending' using errcode = 'PY007',
      detail = 'Finish or abandon your open payments before starting another.';
  end if;
  insert into public.payments (user_id, merchant_key, amount, description, expires_at)
  values (caller, create_pending.merchant_key, create_pending.amount, create_pending.description,
          now() + make_interval(secs => ttl_seconds))
  returning id into new_id;
  return new_id;
end $$;
comment on function payments.create_pending(bigint, text, text, integer) is
  'Opens a pending top-up for the signed-in user (at most 10 open in an hour); returns its id.';

create function payments.attach_authority(
  payment_id bigint, authority text, fee bigint default null, fee_type text default null
) returns void
language plpgsql security definer set search_path = '' as $$
begin
  update public.payments p
  set authority = attach_authority.authority, fee = coalesce(attach_authority.fee, p.fee),
      fee_type = coalesce(attach_authority.fee_type, p.fee_type)
  where p.id = attach_authority.payment_id and p.status = 'pending'
    and (p.authority is null or p.authority = attach_authority.authority);
  if not found then
    raise exception 'invalid_transition' using errcode = 'PY002',
      detail = format('payment %s is not pending without an authority', payment_id);
  end if;
end $$;
comment on function payments.attach_authority(bigint, text, bigint, text) is
  'Stores the authority Zarinpal issued for a pending payment (once) and the fee it quoted.';

create function payments.record_event(
  payment_id bigint, kind text, attempt integer, request jsonb, response_status integer, response_body jsonb,
  error text, duration_ms integer
) returns bigint
language sql security definer set search_path = '' as $$
  insert into public.payment_events
    (payment_id, kind, attempt, request, response_status, response_body, error, duration_ms)
  values (payment_id, kind, greatest(attempt, 1), coalesce(request, '{}'), response_status, response_body,
          left(error, 2000), greatest(duration_ms, 0))
  returning id
$$;
comment on function payments.record_event(bigint, text, integer, jsonb, integer, jsonb, text, integer) is
  'Appends one gateway exchange or callback to payment_events.';

-- settlement ------------------------------------------------------------------------------------------
create function payments.on_settled(payment public.payments) returns void
language plpgsql security definer set search_path = '' as $$
begin
  -- THE hook for "your top-up arrived" notifications (a later issue): runs inside the settling transaction,
  -- so an outbox row inserted here commits with the credit or not at all. Today it only tells listeners.
  perform pg_notify('payment_settled', json_build_object(
    'payment_id', payment.id::text, 'user_id', payment.user_id, 'amount', payment.amount::text,
    'ref_id', payment.ref_id::text)::text);
end $$;
comment on function payments.on_settled(public.payments) is
  'Called once per payment, in the transaction that settles it. Notifications hook (replace its body to enqueue an outbox row).';

create function payments.settle(
  payment_id bigint, verified_amount bigint, ref_id bigint default null, card_pan text default null,
  card_hash text default null, fee bigint default null, fee_type text default null,
  out outcome text, out status public.payment_status, out ledger_transaction_id bigint
)
language plpgsql security definer set search_path = '' as $$
declare
  payment public.payments;
  credit bigint;
begin
  select * into payment from public.payments p where p.id = settle.payment_id for update;
  if not found then
    raise exception 'payment_not_found' using errcode = 'PY001';
  end if;
  status := payment.status;
  ledger_transaction_id := payment.ledger_transaction_id;
  if payment.status in ('verified', 'refunded') then
    outcome := 'already_settled';
    return;
  end if;
  if payment.status <> 'pending' then
    -- The gateway took money for a payment we had closed: never credit silently, hand it to finance.
    perform payments.flag_for_review(payment.id, format('verified at the gateway after it was %s', payment.status));
    outcome := 'flagged';
    return;
  end if;
  if verified_amount is distinct from payment.amount then
    perform payments.flag_for_review(payment.id,
      format('amount mismatch: requested %s, verified %s', payment.amount, verified_amount));
    outcome := 'flagged';
    return;
  end if;

  credit := ledger.post_credit(payment.user_id, payment.amount, 'topup', 'payment:' || payment.id,
    jsonb_build_object('payment_id', payment.id, 'authority', payment.authority, 'ref_id', settle.ref_id));
  update public.payments p
  set status = 'verified', verified_at = now(), ledger_transaction_id = credit, ref_id = settle.ref_id,
      card_pan = settle.card_pan, card_hash = settle.card_hash, fee = coalesce(settle.fee, p.fee),
      fee_type = coalesce(settle.fee_type, p.fee_type)
  where p.id = payment.id
  returning * into payment;
  perform payments.on_settled(payment);
  outcome := 'settled';
  status := payment.status;
  ledger_transaction_id := credit;
end $$;
comment on function payments.settle(bigint, bigint, bigint, text, text, bigint, text) is
  'Exactly-once settlement: pending → verified plus the ledger credit (gateway clearing → wallet, key payment:<id>) in one transaction. Replays answer already_settled; a wrong amount or a closed payment is flagged, never credited.';

create function payments.flag_for_review(payment_id bigint, reason text) returns void
language sql security definer set search_path = '' as $$
  update public.payments set needs_review = true, review_reason = left(reason, 500) where id = payment_id
$$;
comment on function payments.flag_for_review(bigint, text) is 'Marks a payment for finance to look at, with why.';

create function payments.close(
  payment_id bigint, new_status public.payment_status, reason text, code integer default null,
  message text default null
) returns public.payment_status
language plpgsql security definer set search_path = '' as $$
declare
  result public.payment_status;
begin
  if new_status not in ('failed', 'expired') then
    raise exception 'invalid_transition' using errcode = 'PY002', detail = 'close() fails or expires a payment.';
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
  'Fails or expires a pending payment (with the reason and the gateway''s code); a settled one is left alone. Returns the status.';

-- refunds ---------------------------------------------------------------------------------------------
create function payments.begin_refund(
  payment_id bigint, reason text, window_seconds integer default 1800, context jsonb default '{}'
) returns bigint
language plpgsql security definer set search_path = '' as $$
declare
  payment public.payments;
  why text := btrim(coalesce(reason, ''));
  refund_id bigint;
  debit bigint;
begin
  if not public.authorize('payments.refund') then
    raise exception 'not_permitted' using errcode = 'PY006', detail = 'Refunds need payments.refund.';
  end if;
  if length(why) not between 3 and 500 then
    raise exception 'invalid_input' using errcode = 'PY012', detail = 'Give a reason of 3 to 500 characters.';
  end if;
  select * into payment from public.payments p where p.id = begin_refund.payment_id for update;
  if not found then
    raise exception 'payment_not_found' using errcode = 'PY001';
  end if;
  if exists (select 1 from public.payment_refunds r where r.payment_id = payment.id and r.status = 'pending') then
    raise exception 'refund_in_progress' using errcode = 'PY005';
  end if;
  if payment.status <> 'verified' then
    raise exception 'not_refundable' using errcode = 'PY004',
      detail = format('payment %s is %s; only verified payments can be refunded', payment.id, payment.status);
  end if;
  if now() - payment.verified_at >= make_interval(secs => coalesce(window_seconds, 1800)) then
    raise exception 'refund_window_closed' using errcode = 'PY011',
      detail = 'The gateway reverses payments only within 30 minutes.';
  end if;
  insert into public.payment_refunds (payment_id, amount, reason, requested_by, debit_transaction_id)
  values (payment.id, payment.amount, why, auth.uid(),
          ledger.post_debit(payment.user_id, payment.amount, 'refund', 'refund:payment:' || payment.id
            || ':' || (select count(*) from public.payment_refunds r where r.payment_id = payment.id),
            jsonb_build_object('payment_id', payment.id, 'authority', payment.authority, 'reason', why)))
  returning id into refund_id;
  perform private.record_audit('payments.refund', auth.uid(), auth.jwt() ->> 'email', 'payment', payment.id::text,
    jsonb_build_object('refund_id', refund_id, 'amount', payment.amount, 'reason', why), context);
  return refund_id;
end $$;
comment on function payments.begin_refund(bigint, text, integer, jsonb) is
  'Staff (payments.refund): starts refunding a verified payment by debiting the wallet (refused when it cannot cover it, LW001), audited; the gateway reverse follows.';

create function payments.complete_refund(refund_id bigint) returns void
language plpgsql security definer set search_path = '' as $$
declare
  refund public.payment_refunds;
begin
  update public.payment_refunds r set status = 'completed', resolved_at = now()
  where r.id = refund_id and r.status = 'pending' returning * into refund;
  if not found then
    raise exception 'refund_not_pending' using errcode = 'PY009';
  end if;
  update public.payments set status = 'refunded', refunded_at = now() where id = refund.payment_id;
end $$;
comment on function payments.complete_refund(bigint) is 'The gateway reversed the payment: refund completed, payment refunded.';

create function payments.fail_refund(refund_id bigint, code integer, message text) returns bigint
language plpgsql security definer set search_path = '' as $$
declare
  refund public.payment_refunds;
  payer uuid;
  credit bigint;
begin
  select * into refund from public.payment_refunds r where r.id = refund_id and r.status = 'pending' for update;
  if not found then
    raise exception 'refund_not_pending' using errcode = 'PY009';
  end if;
  select p.user_id into payer from public.payments p where p.id = refund.payment_id;
  credit := ledger.post_credit(payer, refund.amount, 'credit', 'refund:' || refund.id || ':compensation',
    jsonb_build_object('payment_id', refund.payment_id, 'refund_id', refund.id,
      'reason', 'gateway reverse refused'));
  update public.payment_refunds r
  set status = 'failed', resolved_at = now(), compensation_transaction_id = credit, failure_code = code,
      failure_message = left(message, 500)
  where r.id = refund.id;
  return credit;
end $$;
comment on function payments.fail_refund(bigint, integer, text) is
  'The gateway refused the reverse: re-credits the wallet (compensation) so the ledger stays right; the payment stays verified.';

-- staff view -------------------------------------------------------------------------------------------
-- Payments with the payer's email for staff lists and exports; it runs with its owner's rights (auth.users is
-- not readable by API roles), so it filters by the caller's permission itself.
create view payments.staff_payments with (security_invoker = false) as
  select p.*, u.email::text as email
  from public.payments p left join auth.users u on u.id = p.user_id
  where (select public.authorize('payments.view'));
comment on view payments.staff_payments is
  'Every payment with the payer''s email, for callers whose token grants payments.view (empty for anyone else).';
revoke all on payments.staff_payments from public, anon, authenticated, service_role;
grant select on payments.staff_payments to authenticated, service_role;

-- execute grants --------------------------------------------------------------------------------------
revoke execute on all functions in schema payments from public, anon, authenticated, service_role;
grant execute on function payments.create_pending(bigint, text, text, integer) to authenticated;
grant execute on function payments.begin_refund(bigint, text, integer, jsonb) to authenticated, service_role;
grant execute on function payments.attach_authority(bigint, text, bigint, text),
  payments.record_event(bigint, text, integer, jsonb, integer, jsonb, text, integer),
  payments.settle(bigint, bigint, bigint, text, text, bigint, text),
  payments.flag_for_review(bigint, text),
  payments.close(bigint, public.payment_status, text, integer, text),
  payments.complete_refund(bigint),
  payments.fail_refund(bigint, integer, text)
  to service_role;
revoke execute on function private.payments_guard(), private.payment_rows_immutable(),
  private.payment_refunds_guard() from public, anon, authenticated;
