package store

import (
	"context"
	"time"
)

// appraisalMaxPeople bounds the appraisal list one request computes (an entitlement run serves more).
const appraisalMaxPeople = 20000

// ErrAppraisalTooLarge is returned when the filter matches more people than one appraisal list holds.
var ErrAppraisalTooLarge = &tooLarge{}

type tooLarge struct{}

func (*tooLarge) Error() string { return "appraisal: too many people for one list" }

// AppraisalPeople reads, in one read transaction, the people an entitlement run with filter f would cover
// for an exit on exitDate, each with every assignment and the schedule in force on the day before the
// exit: the input of the exit appraisal list (issue 13 item 6), computed as a run computes it.
func (s *Store) AppraisalPeople(ctx context.Context, p Principal, province string, exitDate time.Time, f RunFilter) ([]EntitlementPerson, error) {
	before := exitDate.AddDate(0, 0, -1)
	var out []EntitlementPerson
	err := s.heavyRead(ctx, p, province, func(tx *Tx) error {
		ids, err := runPeople(ctx, tx, province, before, f)
		if err != nil {
			return translate(err)
		}
		if len(ids) > appraisalMaxPeople {
			return ErrAppraisalTooLarge
		}
		var basis string
		if err := tx.QueryRow(ctx, `SELECT allowance_basis FROM provinces WHERE province_code = $1`, province).Scan(&basis); err != nil {
			return translate(err)
		}
		schedule, err := scheduleInForce(ctx, tx, province, before)
		if err != nil {
			return err
		}
		for start := 0; start < len(ids); start += 2000 {
			batch, err := readRunBatch(ctx, tx, province, ids[start:min(start+2000, len(ids))], basis, schedule, before)
			if err != nil {
				return err
			}
			out = append(out, batch...)
		}
		return nil
	})
	return out, err
}
