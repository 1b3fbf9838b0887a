-- errors.csv is written with the delimiter of the uploaded file: Excel in a Vietnamese locale writes and
-- reads ';', and opens a ','-separated file as a single column.
ALTER TABLE import_jobs ADD COLUMN delimiter text NOT NULL DEFAULT ',' CHECK (delimiter IN (',', ';'));
COMMENT ON COLUMN import_jobs.delimiter IS 'Field delimiter of the uploaded file, reused for errors.csv';
