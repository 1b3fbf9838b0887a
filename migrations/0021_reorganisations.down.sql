DROP TABLE reorganisations;
