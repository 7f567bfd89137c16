-- Test-only helper for the pgTAP files that check how Postgres plans a query as the acting user (its row-level
-- security included): EXPLAIN's text as one string, for matches() / unalike().
create schema if not exists tests;

create or replace function tests.plan_of(query text) returns text language plpgsql as $$
declare
  line text;
  plan text := '';
begin
  for line in execute 'explain (costs off) ' || query loop
    plan := plan || line || E'\n';
  end loop;
  return plan;
end $$;
grant usage on schema tests to anon, authenticated, service_role;
grant execute on function tests.plan_of(text) to anon, authenticated, service_role;
