-- 0040_comments_legal_basis: the table comments of 0001 cited the spec's rules file, outside the repository;
-- the legal basis lives in docs/legal-basis.md (issue 15). 0001 is applied everywhere, so the comments are
-- replaced here.
COMMENT ON TABLE provinces IS 'Tenants: one row per province (2-digit GSO code). allowance_basis chooses the Decree 154/2025 "current monthly allowance" reading (docs/legal-basis.md §3.2)';
COMMENT ON TABLE positions IS 'National catalogue of non-professional posts (docs/legal-basis.md §9); extended by migration, never by tenants';
