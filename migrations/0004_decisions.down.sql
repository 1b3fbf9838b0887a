DROP TABLE IF EXISTS decisions;
DROP FUNCTION IF EXISTS decisions_immutable();
