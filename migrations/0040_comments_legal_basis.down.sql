-- Reverts 0040_comments_legal_basis.up.sql: the comments as 0001 wrote them.
COMMENT ON TABLE provinces IS 'Tenants: one row per province (2-digit GSO code). allowance_basis chooses the Decree 154/2025 "current monthly allowance" reading (rules.md §3.2)';
COMMENT ON TABLE positions IS 'National catalogue of non-professional posts (rules.md §9); extended by migration, never by tenants';
