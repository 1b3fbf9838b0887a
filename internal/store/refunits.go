package store

import (
	"context"
	"fmt"
	"time"

	"communehr/internal/refdata"
)

// RefLoadResult is what loading a province's reference units did: how many units and links the reference
// data has for it (all present in the register afterwards) and how many of them this load inserted.
type RefLoadResult struct {
	Units2025, UnitsPre, Links               int
	Inserted2025, InsertedPre, InsertedLinks int
	ProvinceCreated                          bool
	Differs                                  []RefDiffer // units kept as the register has them, unlike the reference
}

// Inserted reports whether the load wrote anything (201) or found everything already there (200).
func (r RefLoadResult) Inserted() bool {
	return r.ProvinceCreated || r.Inserted2025+r.InsertedPre+r.InsertedLinks > 0
}

// RefConflict is a unit of the register whose period overlaps the reference unit of the same code with
// another start: the load cannot record both and refuses rather than overwrite either.
type RefConflict struct {
	Code    string
	Name    string
	From    time.Time
	To      *time.Time
	RefFrom time.Time
	RefTo   *time.Time
}

// RefConflictError lists every conflict of a load.
type RefConflictError struct{ Conflicts []RefConflict }

func (e *RefConflictError) Error() string {
	return fmt.Sprintf("%d units of the register overlap reference units of the same code", len(e.Conflicts))
}

// refClass is the class a reference unit is recorded with: the sources carry no class, population or
// area, so a unit gets class 3 (the smallest Decree 33 quota) until the province records its own; the
// loader says so in a warning. An existing unit keeps its values.
const refClass = 3

// LoadReferenceUnits records one 2025 province's units of both maps and their lineage, idempotently, in
// one transaction as the province's editor (row-level security lets no other role write a register), with
// one audit row. Units already present (same code and start) are left as they are; a unit of the register
// that overlaps a reference unit of the same code with another start is a *RefConflictError and nothing
// is written. The province is created first (as an operator) when it does not exist.
func (s *Store) LoadReferenceUnits(ctx context.Context, p Principal, rp *refdata.Province) (RefLoadResult, error) {
	res := RefLoadResult{Units2025: len(rp.Units2025), UnitsPre: len(rp.UnitsPre), Links: len(rp.Links)}
	op := Principal{KeyID: p.KeyID, Role: RoleOperator, RequestID: p.RequestID}
	err := s.InTx(ctx, op, func(tx *Tx) error {
		tag, err := tx.Exec(ctx, `INSERT INTO provinces (province_code, name) VALUES ($1, $2) ON CONFLICT DO NOTHING`, rp.Code, rp.Name)
		if err != nil {
			return translate(err)
		}
		if res.ProvinceCreated = tag.RowsAffected() == 1; res.ProvinceCreated {
			return tx.Audit(ctx, rp.Code, "create", "province", rp.Code, nil, map[string]string{"province_code": rp.Code, "name": rp.Name, "source": "reference data"})
		}
		return nil
	})
	if err != nil {
		return res, err
	}
	ed := Principal{KeyID: p.KeyID, Role: RoleProvinceEditor, Province: rp.Code, RequestID: p.RequestID}
	err = s.InTx(ctx, ed, func(tx *Tx) error {
		// One unit list: the 2025 units from Effective2025, open; the pre-2025 units from PreFrom to PreTo.
		n := len(rp.Units2025) + len(rp.UnitsPre)
		codes, names, kinds, olds := make([]string, 0, n), make([]string, 0, n), make([]string, 0, n), make([]*string, 0, n)
		froms, tos := make([]time.Time, 0, n), make([]*time.Time, 0, n)
		preTo := refdata.PreTo
		for _, u := range rp.Units2025 {
			codes, names, kinds, olds = append(codes, u.Code), append(names, u.Name), append(kinds, u.Kind), append(olds, nil)
			froms, tos = append(froms, refdata.Effective2025), append(tos, nil)
		}
		for _, u := range rp.UnitsPre {
			var old *string
			if u.Province != rp.Code {
				v := u.Province
				old = &v
			}
			codes, names, kinds, olds = append(codes, u.Code), append(names, u.Name), append(kinds, u.Kind), append(olds, old)
			froms, tos = append(froms, refdata.PreFrom), append(tos, &preTo)
		}
		rows, err := tx.Query(ctx, `SELECT c.code, c.name, c.effective_from, c.effective_to, r.f, r.t
			FROM unnest($2::text[], $3::date[], $4::date[]) AS r(code, f, t)
			JOIN communes c ON c.province_code = $1 AND c.code = r.code AND c.effective_from <> r.f
			 AND daterange(c.effective_from, c.effective_to, '[]') && daterange(r.f, r.t, '[]')
			ORDER BY c.code, c.effective_from`, rp.Code, codes, froms, tos)
		if err != nil {
			return err
		}
		var conflicts []RefConflict
		for rows.Next() {
			var c RefConflict
			if err := rows.Scan(&c.Code, &c.Name, &c.From, &c.To, &c.RefFrom, &c.RefTo); err != nil {
				rows.Close()
				return err
			}
			conflicts = append(conflicts, c)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		if len(conflicts) > 0 {
			return &RefConflictError{Conflicts: conflicts}
		}
		if res.Differs, err = refDiffers(ctx, tx, rp.Code, codes, names, kinds, froms); err != nil {
			return err
		}
		var ins25, insPre int
		if err := recordAudit(ctx, tx, "reference_units"); err != nil {
			return err
		}
		err = tx.QueryRow(ctx, `WITH ins AS (
			INSERT INTO communes (province_code, code, name, kind, class, effective_from, effective_to, old_province_code)
			SELECT $1, r.code, r.name, r.kind, $8, r.f, r.t, r.old
			FROM unnest($2::text[], $3::text[], $4::text[], $5::date[], $6::date[], $7::text[]) AS r(code, name, kind, f, t, old)
			ON CONFLICT (province_code, code, effective_from) DO NOTHING
			RETURNING effective_to)
			SELECT count(*) FILTER (WHERE effective_to IS NULL), count(*) FILTER (WHERE effective_to IS NOT NULL) FROM ins`,
			rp.Code, codes, names, kinds, froms, tos, olds, refClass).Scan(&ins25, &insPre)
		if err != nil {
			return translate(err)
		}
		res.Inserted2025, res.InsertedPre = ins25, insPre
		if err := endRecordAudit(ctx, tx); err != nil {
			return err
		}
		links := make([]LineageLink, len(rp.Links))
		for i, l := range rp.Links {
			links[i] = LineageLink{From: UnitKey{Code: l.OldCode, From: refdata.PreFrom},
				To: UnitKey{Code: l.NewCode, From: refdata.Effective2025}, Coverage: l.Coverage}
		}
		if res.InsertedLinks, err = InsertLineage(ctx, tx, rp.Code, links); err != nil {
			return err
		}
		if !res.Inserted() {
			return nil
		}
		return tx.Audit(ctx, rp.Code, "import", "reference_units", rp.Code, nil, map[string]int{
			"units_2025": res.Units2025, "units_pre2025": res.UnitsPre, "lineage_links": res.Links,
			"inserted_2025": res.Inserted2025, "inserted_pre2025": res.InsertedPre, "inserted_links": res.InsertedLinks})
	})
	return res, err
}
