-- pgTAP: tickets.business_minutes_add / _between on the Tehran calendar — Sat–Wed 08–17, Thursday half-day
-- 08–13, Friday closed, holidays skipped (a week with a holiday).
begin;
select plan(12);

-- 2027-01-06 is a Wednesday.
select is(to_char(date '2027-01-06', 'Dy'), 'Wed', 'the calendar this file uses');
select is(tickets.business_minutes_add('2027-01-06 16:00+03:30', 120), '2027-01-07 09:00+03:30'::timestamptz,
  'Wednesday 16:00 + 120 → Thursday 09:00');
select is(tickets.business_minutes_add('2027-01-07 12:30+03:30', 60), '2027-01-09 08:30+03:30'::timestamptz,
  'Thursday 12:30 + 60 → Saturday 08:30 (Thursday closes at 13:00, Friday is closed)');
select is(tickets.business_minutes_add('2027-01-08 10:00+03:30', 10), '2027-01-09 08:10+03:30'::timestamptz,
  'a Friday start counts from Saturday''s opening');
select is(tickets.business_minutes_add('2027-01-06 06:00+03:30', 0), '2027-01-06 08:00+03:30'::timestamptz,
  'before opening counts from 08:00');
select is(tickets.business_minutes_add('2027-01-06 17:00+03:30', 1), '2027-01-07 08:01+03:30'::timestamptz,
  'at closing time the next day counts');
select is(tickets.business_minutes_add('2027-01-06 03:00+00', 60), '2027-01-06 09:00+03:30'::timestamptz,
  'instants in another zone are read in Tehran time');
select is(tickets.business_minutes_add('2027-01-09 08:00+03:30', 5 * 540 + 300 + 540),
  '2027-01-16 17:00+03:30'::timestamptz, 'a whole week: five long days, Thursday''s five hours, Saturday');

insert into tickets.holidays (day, name) values ('2027-01-09', 'holiday'), ('2027-01-11', 'another');
select is(tickets.business_minutes_add('2027-01-07 12:30+03:30', 60), '2027-01-10 08:30+03:30'::timestamptz,
  'Thursday 12:30 + 60 → Sunday 08:30 when that Saturday is a holiday');
select is(tickets.business_minutes_add('2027-01-10 16:00+03:30', 120), '2027-01-12 09:00+03:30'::timestamptz,
  'Sunday 16:00 + 120 skips the Monday holiday');
select is(tickets.business_minutes_between('2027-01-06 16:00+03:30', '2027-01-12 09:00+03:30'), 60 + 300 + 540 + 60,
  'minutes between: Wed 60, Thu 300, (Fri, Sat holiday), Sun 540, (Mon holiday), Tue 60');
select is(tickets.business_minutes_between('2027-01-12 09:00+03:30', '2027-01-06 16:00+03:30'), 0,
  'a reversed interval has no business minutes');

select * from finish();
rollback;
