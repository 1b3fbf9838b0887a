DROP TRIGGER communes_history_follows_row ON communes;
DROP FUNCTION commune_history_follows_row();
DROP TRIGGER hamlets_history_follows_row ON hamlets;
DROP FUNCTION hamlet_history_follows_row();
