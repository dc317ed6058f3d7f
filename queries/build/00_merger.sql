-- The merger: from 1 July 2025 the 40 communes and wards replaced the 133 former ones. The one SQL
-- constant for that day, read by the build (15_dossier_days.sql, 33_profile.sql) and the queries;
-- communes.periods.MERGER is the same day in Python (tests/test_merger_date.py checks that they agree
-- and that no other SQL text writes the date).
create or replace macro merger_date() as date '2025-07-01';
