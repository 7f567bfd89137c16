-- Purpose: money reaches a phone number only when its owner has verified it, and a sender who cannot pay
--          learns nothing about recipients (issue 11, items 1 and 4).
--          - public.normalize_phone: one rule for Iranian mobile numbers. 0912…, +98912…, 98912…, 0098912…,
--            +98 (0)912…, 9121234567, with Persian or Arabic-Indic digits, spaces, dashes, dots, brackets and
--            direction marks, all become E.164 +98912…; anything else is null. lib/users/phone.ts is the same
--            rule for the profile form (tests/integration/phone_normalize_test.ts checks they agree).
--          - profiles.phone is stored normalised (trigger) and only as +989XXXXXXXXX (check); existing rows
--            are normalised, and numbers that are not Iranian mobiles are cleared (they could never be
--            texted or found).
--          - ledger.find_user no longer reads profiles.phone (free text that anyone may set to anyone's
--            number). A phone reaches the auth user whose phone is that number AND verified
--            (auth.users.phone_confirmed_at); auth.users.phone is unique, so verified phones are too. A phone
--            with no verified owner is refused with LW026 recipient_phone_unverified.
--          - ledger.transfer refuses an amount the sender's available balance cannot cover (LW001) BEFORE
--            it resolves the recipient, unless the idempotency key replays an earlier transfer, so an
--            unaffordable transfer answers insufficient_funds whoever the recipient is.
--          - ledger.preview_recipient: the transfer form's confirmation step (service_role only) resolves
--            with find_user itself and says which channel matched and whether it is verified.
-- Access: normalize_phone is a pure function (executable by all); the trigger function has no grants;
--         preview_recipient is service_role only (it names users). find_user and transfer keep their grants.
-- Risk: medium (money routing). Transfers by email are unchanged; transfers by phone reach nobody until
--       phone verification sets phone_confirmed_at. New SQLSTATEs: LW026 recipient_phone_unverified,
--       US001 invalid_phone.

create function public.normalize_phone(typed text) returns text
language plpgsql immutable strict parallel safe set search_path = '' as $$
declare
  digits text := translate(typed, '۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩', '01234567890123456789');
begin
  -- Separators people type or paste: white space, NBSP, ZWNJ and direction marks, dashes, dots, brackets.
  digits := regexp_replace(digits,
    '[[:space:]\u00a0\u200b-\u200f\u202a-\u202e\u2066-\u2069().\u2010-\u2015-]', '', 'g');
  if digits !~ '^\+?[0-9]+$' then return null; end if;
  if digits ~ '^\+98' then
    digits := substr(digits, 4);
  elsif digits ~ '^0098' then
    digits := substr(digits, 5);
  elsif digits ~ '^98' and length(digits) in (12, 13) then
    digits := substr(digits, 3);
  elsif digits ~ '^\+' then
    return null; -- another country
  end if;
  if digits ~ '^0' and length(digits) = 11 then digits := substr(digits, 2); end if;
  if digits ~ '^9[0-9]{9}$' then return '+98' || digits; end if;
  return null;
end $$;
comment on function public.normalize_phone(text) is
  'An Iranian mobile number as E.164 (+989XXXXXXXXX) from the ways people type it (0912…, +98…, 98…, 0098…, 912…, Persian digits, separators); null when it is not one. lib/users/phone.ts is the same rule.';

-- Existing rows: normalise what is an Iranian mobile, clear the rest (updated_at keeps its meaning).
alter table public.profiles drop constraint profiles_phone_check;
alter table public.profiles disable trigger profiles_touch_updated_at;
update public.profiles set phone = public.normalize_phone(phone)
where phone is distinct from public.normalize_phone(phone);
alter table public.profiles enable trigger profiles_touch_updated_at;
alter table public.profiles add constraint profiles_phone_e164 check (phone ~ '^\+989[0-9]{9}$');
comment on column public.profiles.phone is
  'The mobile number the user typed, normalised to E.164 (+989…). Unverified: never used to route money.';

create function public.profiles_normalize_phone() returns trigger
language plpgsql set search_path = '' as $$
begin
  if new.phone is not null and btrim(new.phone) = '' then
    new.phone := null;
  elsif new.phone is not null then
    new.phone := coalesce(public.normalize_phone(new.phone), new.phone);
    if new.phone !~ '^\+989[0-9]{9}$' then
      raise exception 'invalid_phone' using errcode = 'US001',
        detail = 'Enter an Iranian mobile number, such as 0912 345 6789.';
    end if;
  end if;
  return new;
end $$;
comment on function public.profiles_normalize_phone() is
  'Stores profiles.phone as E.164 and refuses what is not an Iranian mobile number (US001 invalid_phone).';
revoke execute on function public.profiles_normalize_phone() from public, anon, authenticated;

create trigger profiles_normalize_phone before insert or update of phone on public.profiles
  for each row execute function public.profiles_normalize_phone();

create or replace function ledger.find_user(recipient text) returns uuid
language plpgsql stable as $$
declare
  handle text := btrim(coalesce(recipient, ''));
  e164 text;
  found uuid;
begin
  if position('@' in handle) > 0 then
    select u.id into found from auth.users u
    where u.email = lower(handle) and not u.is_sso_user and u.deleted_at is null;
    return found;
  end if;
  e164 := public.normalize_phone(handle);
  if e164 is null then return null; end if;
  -- GoTrue keeps phones as E.164 digits without the +, unique across users. Only a verified one counts.
  select u.id into found from auth.users u
  where u.phone = substr(e164, 2) and u.phone_confirmed_at is not null and u.deleted_at is null;
  if found is null then
    raise exception 'recipient_phone_unverified' using errcode = 'LW026',
      detail = 'Money reaches a phone number only when its owner has verified it. Use the recipient''s email address.';
  end if;
  return found;
end $$;
comment on function ledger.find_user(text) is
  'The user with this email, or with this verified phone number (LW026 when no one has verified it); null when nobody has the email or the text is neither. Never reads profiles.phone. Internal.';

create or replace function ledger.transfer(recipient text, amount bigint, idempotency_key text, note text default null)
returns bigint
language plpgsql security definer set search_path = '' as $$
declare
  sender uuid := auth.uid();
  target uuid;
begin
  if sender is null then
    raise exception 'not_authenticated' using errcode = 'LW010';
  end if;
  perform ledger.assert_valid_amount(amount);
  -- Before the recipient is resolved: a sender who cannot pay learns nothing about who exists. A replayed
  -- key goes on to return its transaction, as before.
  if not exists (select 1 from ledger.wallet_balances b
                 where b.user_id = sender and b.balance - b.held >= transfer.amount)
     and not exists (select 1 from ledger.transactions t
                     where t.idempotency_scope = 'user:' || sender::text
                       and t.idempotency_key = transfer.idempotency_key) then
    raise exception 'insufficient_funds' using errcode = 'LW001',
      detail = 'The wallet cannot cover this amount.';
  end if;
  target := ledger.find_user(recipient);
  if target is null then
    raise exception 'recipient_not_found' using errcode = 'LW003',
      detail = 'No user has this email address or phone number.';
  end if;
  return ledger.move_between_wallets(sender, target, amount, 'user:' || sender::text, idempotency_key,
    nullif(btrim(note), ''));
end $$;

create function ledger.preview_recipient(recipient text)
returns table (user_id uuid, full_name text, email text, phone text, via text, verified boolean)
language plpgsql stable security definer set search_path = '' as $$
declare
  target uuid;
begin
  begin
    target := ledger.find_user(recipient);
  exception when sqlstate 'LW026' then
    -- Answered as a row, not raised, so the caller's look-up count commits with the answer.
    return query select null::uuid, ''::text, null::text, null::text, 'phone'::text, false;
    return;
  end;
  return query
    select u.id, coalesce(p.full_name, ''), u.email::text, u.phone::text,
           case when position('@' in recipient) > 0 then 'email' else 'phone' end,
           case when position('@' in recipient) > 0 then u.email_confirmed_at is not null
                else u.phone_confirmed_at is not null end
    from auth.users u left join public.profiles p on p.id = u.id
    where u.id = target;
end $$;
comment on function ledger.preview_recipient(text) is
  'For the transfer form (service_role): who ledger.find_user resolves this email or phone to, by which channel, and whether that channel is verified; a phone nobody has verified is one row with a null user_id. No row: nobody.';
revoke execute on function ledger.preview_recipient(text) from public, anon, authenticated;
grant execute on function ledger.preview_recipient(text) to service_role;
