-- Purpose: staff who help customers (agents) see, read-only, a customer's wallet summary with their recent
--          payments and withdrawals, and every look is audited (`wallet.summary_view`), in the same
--          transaction as the read.
-- Access: `wallet.view_summary` (agent, finance, admin). Without `wallet.view` the target must be a customer
--         (role `user`): an agent cannot look into a colleague's wallet. The function is the only way in: it
--         grants no table access, so RLS on the ledger and payments tables is unchanged. IBANs and card
--         numbers are masked to their last four digits.
-- Refusals: LW009 not_permitted (no permission, or a staff member's wallet), LW015 account_not_found (no such
--           user), LW018 invalid_input (the ticket given is not this customer's).
-- Risk: low; a new function and three grant rows.

insert into public.role_permissions (role, permission) values
  ('agent', 'wallet.view_summary'), ('finance', 'wallet.view_summary'), ('admin', 'wallet.view_summary')
on conflict do nothing;

/**
 * A customer's wallet for staff helping them: balance, held, available, the last `recent` payments and
 * withdrawals (newest first), masked. Writes one `wallet.summary_view` audit entry naming the ticket, when
 * one is given.
 */
create function private.staff_wallet_summary(
  target uuid,
  ticket bigint default null,
  context jsonb default '{}'::jsonb,
  recent integer default 10
) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  actor uuid := (select auth.uid());
  wallet_balance bigint := 0;
  wallet_held bigint := 0;
  result jsonb;
  shown integer := least(greatest(coalesce(staff_wallet_summary.recent, 10), 1), 50);
begin
  if actor is null or not public.authorize('wallet.view_summary') then
    raise exception 'not_permitted' using errcode = 'LW009',
      detail = 'Seeing a customer''s wallet needs wallet.view_summary.';
  end if;
  if not exists (select 1 from auth.users u where u.id = staff_wallet_summary.target) then
    raise exception 'account_not_found' using errcode = 'LW015', detail = 'No such user.';
  end if;
  if private.primary_role(staff_wallet_summary.target) <> 'user' and not public.authorize('wallet.view') then
    raise exception 'not_permitted' using errcode = 'LW009',
      detail = 'Only customers'' wallets can be seen with wallet.view_summary.';
  end if;
  if staff_wallet_summary.ticket is not null and not exists (
    select 1 from public.tickets k
    where k.id = staff_wallet_summary.ticket and k.customer_id = staff_wallet_summary.target
  ) then
    raise exception 'invalid_input' using errcode = 'LW018', detail = 'The ticket is not this customer''s.';
  end if;

  select coalesce(b.balance, 0), coalesce(b.held, 0) into wallet_balance, wallet_held
  from ledger.wallet_balances b where b.user_id = staff_wallet_summary.target;

  result := jsonb_build_object(
    'balance', coalesce(wallet_balance, 0)::text,
    'held', coalesce(wallet_held, 0)::text,
    'available', (coalesce(wallet_balance, 0) - coalesce(wallet_held, 0))::text,
    'payments', coalesce((
      select jsonb_agg(jsonb_build_object(
        'id', p.id::text, 'amount', p.amount::text, 'status', p.status::text, 'created_at', p.created_at,
        'ref_id', p.ref_id::text, 'card', case when p.card_pan is null then null else right(p.card_pan, 4) end
      ) order by p.id desc)
      from (select * from public.payments x where x.user_id = staff_wallet_summary.target
            order by x.id desc limit shown) p
    ), '[]'::jsonb),
    'withdrawals', coalesce((
      select jsonb_agg(jsonb_build_object(
        'id', w.id::text, 'amount', w.amount::text, 'status', w.status::text, 'created_at', w.created_at,
        'iban_last4', right(w.iban, 4)
      ) order by w.id desc)
      from (select * from ledger.withdrawals x where x.user_id = staff_wallet_summary.target
            order by x.id desc limit shown) w
    ), '[]'::jsonb)
  );

  perform private.record_audit('wallet.summary_view', actor, (select auth.email()), 'user',
    staff_wallet_summary.target::text,
    jsonb_strip_nulls(jsonb_build_object('ticket_id', staff_wallet_summary.ticket::text)),
    staff_wallet_summary.context);
  return result;
end $$;
comment on function private.staff_wallet_summary(uuid, bigint, jsonb, integer) is
  'A customer''s wallet, recent payments and withdrawals for staff with wallet.view_summary; audited per look.';
revoke execute on function private.staff_wallet_summary(uuid, bigint, jsonb, integer) from public, anon;
grant execute on function private.staff_wallet_summary(uuid, bigint, jsonb, integer) to authenticated;
