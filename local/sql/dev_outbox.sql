-- The local provider sandbox's capture table (local mode only): every email, SMS and WhatsApp message the
-- local stack "sends" lands here and is shown at /_dev/outbox. Not part of the product schema.
-- Test stacks apply this file concurrently to one database; its statements run as one implicit transaction
-- (one simple query), and this lock makes them take turns: two concurrent REVOKE/ALTER on the same catalog row
-- fail with "tuple concurrently updated".
select pg_advisory_xact_lock(hashtext('pishkhan._dev.outbox'));
create schema if not exists _dev;
revoke all on schema _dev from public;
create table if not exists _dev.outbox (
  id bigserial primary key,
  channel text not null check (channel in ('email', 'sms', 'whatsapp')),
  provider text not null,
  recipient text not null,
  sender text,
  subject text,
  body_text text,
  body_html text,
  metadata jsonb not null default '{}',
  created_at timestamptz not null default now()
);
create index if not exists outbox_recipient_idx on _dev.outbox (recipient, created_at desc);
