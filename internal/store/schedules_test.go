package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"communehr/internal/store"
)

func scheduleVersion(province string, rows ...store.ScheduleRow) store.Schedule {
	return store.Schedule{Province: province, Resolution: "18/2023/NQ-HĐND",
		EffectiveFrom: time.Date(2023, 8, 1, 0, 0, 0, 0, time.UTC), Rows: rows}
}

// A replacement that fails half-way leaves the old version whole: delete and insert are one transaction.
func TestPutScheduleIsAtomicAndPerProvince(t *testing.T) {
	t.Parallel()
	st := twoProvinces(t)
	ctx := context.Background()
	hn := store.Principal{KeyID: 1, Role: store.RoleProvinceEditor, Province: "01"}
	hcm := store.Principal{KeyID: 2, Role: store.RoleProvinceEditor, Province: "79"}
	good := scheduleVersion("01", store.ScheduleRow{PositionCode: "truong_thon_to_truong", Coefficient: decimal.RequireFromString("1.6")})
	if _, created, err := st.PutSchedule(ctx, hn, good); err != nil || !created {
		t.Fatalf("put: created %v, %v", created, err)
	}
	bad := scheduleVersion("01",
		store.ScheduleRow{PositionCode: "bi_thu_chi_bo", Coefficient: decimal.RequireFromString("1.5")},
		store.ScheduleRow{PositionCode: "no_such_post", Coefficient: decimal.RequireFromString("1.5")})
	_, _, err := st.PutSchedule(ctx, hn, bad)
	var ce *store.ConstraintError
	if !errors.As(err, &ce) || ce.Kind != "reference" || ce.Field != "position_code" {
		t.Fatalf("bad put: %v", err)
	}
	asOf := time.Date(2024, 9, 1, 0, 0, 0, 0, time.UTC)
	got, err := st.ScheduleAsOf(ctx, hn, "01", asOf)
	if err != nil || len(got.Rows) != 1 || got.Rows[0].PositionCode != "truong_thon_to_truong" {
		t.Fatalf("after failed put: %+v, %v", got, err)
	}
	// Another province neither sees nor overwrites it.
	if _, err := st.ScheduleAsOf(ctx, hcm, "01", asOf); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("province 79 reads 01's schedule: %v", err)
	}
	if _, _, err := st.PutSchedule(ctx, hcm, good); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("province 79 writes 01's schedule: %v", err)
	}
	entries, err := st.ListAudit(ctx, hn, "01", store.AuditFilter{Entity: "allowance_schedule", Limit: 10})
	if err != nil || len(entries) != 1 || entries[0].Action != "create" || entries[0].Before != nil {
		t.Fatalf("audit: %+v, %v", entries, err)
	}
}
