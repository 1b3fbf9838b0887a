package store

import (
	"context"
	"time"
)

// RefDiffer is a unit of the register with the code and start of a reference unit whose name or kind
// differs from the reference's: the load keeps the register's values and reports it (issue 11 item 4).
type RefDiffer struct {
	Code             string
	From             time.Time
	Name, Kind       string // the register's
	RefName, RefKind string // the reference data's
}

// refDiffers lists the register's units of province that share code and start with a reference unit but
// not its name (beyond spaces and letter case) or its kind.
func refDiffers(ctx context.Context, tx *Tx, province string, codes, names, kinds []string, froms []time.Time) ([]RefDiffer, error) {
	rows, err := tx.Query(ctx, `SELECT c.code, c.effective_from, c.name, c.kind, r.name, r.kind
		FROM unnest($2::text[], $3::text[], $4::text[], $5::date[]) AS r(code, name, kind, f)
		JOIN communes c ON c.province_code = $1 AND c.code = r.code AND c.effective_from = r.f
		WHERE lower(regexp_replace(btrim(c.name), '\s+', ' ', 'g')) <> lower(regexp_replace(btrim(r.name), '\s+', ' ', 'g'))
		   OR c.kind <> r.kind
		ORDER BY c.code, c.effective_from`, province, codes, names, kinds, froms)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []RefDiffer
	for rows.Next() {
		var d RefDiffer
		if err := rows.Scan(&d.Code, &d.From, &d.Name, &d.Kind, &d.RefName, &d.RefKind); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}
