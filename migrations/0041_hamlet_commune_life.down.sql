DROP FUNCTION commune_life_from(text, text, date);
