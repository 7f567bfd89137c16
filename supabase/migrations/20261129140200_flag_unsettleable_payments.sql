-- Purpose: a payment whose settlement the ledger refuses (an idempotency conflict on payment:<id>, a missing
--          wallet, …) is flagged for review with the reason, in the same call, instead of failing on every
--          callback and reconciliation while the payer's money sits at the gateway unflagged (issue 11
--          item 5). The payment stays pending and uncredited; finance sees the reason on /admin/payments/<id>.
-- Access: unchanged (service_role only). Risk: high (money); only the ledger's own refusals (SQLSTATE LW…)
--         are caught, in a subtransaction, so nothing half-posted survives; other errors still raise.

create or replace function payments.settle(
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

  begin
    credit := ledger.post_credit(payment.user_id, payment.amount, 'topup', 'payment:' || payment.id,
      jsonb_build_object('payment_id', payment.id, 'authority', payment.authority, 'ref_id', settle.ref_id));
  exception when others then
    -- A refusal by the ledger (LWxxx: e.g. the key payment:<id> already names another posting) will refuse
    -- every retry the same way: the payer has paid, so hand it to finance with the reason instead.
    if sqlstate not like 'LW%' then
      raise;
    end if;
    perform payments.flag_for_review(payment.id,
      format('settlement failed: the ledger refused the credit payment:%s (%s %s)', payment.id, sqlstate, sqlerrm));
    outcome := 'flagged';
    return;
  end;
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
