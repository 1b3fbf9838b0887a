DROP INDEX IF EXISTS hamlets_successor_idx;
DROP INDEX IF EXISTS communes_successor_idx;
