-- Specialists by field (staffing_fields export) against the dossiers of the same field.
-- A field is named in two exports typed by different people ("Đất đai" in the dossier system,
-- "đất đai" in a staffing sheet): both are matched on one key, the name without case or diacritics.

create or replace macro field_key(x) as
    trim(regexp_replace(lower(strip_accents(replace(replace(x, 'đ', 'd'), 'Đ', 'D'))), '\s+', ' ', 'g'));
