package reorg

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"communehr/internal/exits"
	"communehr/internal/store"
	"communehr/internal/testdb"
)

func seedRace(t *testing.T, dbURL string) {
	t.Helper()
	admin := testdb.Admin(t, dbURL)
	testdb.Province(t, admin, "97", "Tỉnh Thử Nghiệm")
	for _, s := range []string{
		`INSERT INTO communes (province_code, code, name, kind, class, effective_from) VALUES
			('97', '90001', 'Xã A', 'xa', 1, '2010-01-01'), ('97', '90002', 'Xã B', 'xa', 2, '2010-01-01')`,
		`INSERT INTO cadres (province_code, id, national_id, full_name, gender, birth_date, si_months) VALUES
			('97', '00000000-0000-4000-8000-000000000001', '097070000001', 'Nguyễn Văn Một', 'male', '1970-03-01', 120),
			('97', '00000000-0000-4000-8000-000000000002', '097180000002', 'Trần Thị Hai', 'female', '1980-05-01', 60)`,
		`INSERT INTO assignments (province_code, id, cadre_id, position_code, commune_code, start_date) VALUES
			('97', '00000000-0000-4000-9000-000000000001', '00000000-0000-4000-8000-000000000001', 'van_phong_dang_uy', '90001', '2019-01-01')`,
	} {
		if _, err := admin.Exec(t.Context(), s); err != nil {
			t.Fatal(err)
		}
	}
}

// postsLeftInClosedUnits counts posts still held after their commune-level unit closed.
const postsLeftInClosedUnits = `SELECT count(*) FROM assignments a
	JOIN communes c ON c.province_code = a.province_code AND c.code = a.commune_code AND c.effective_from = a.commune_from
	WHERE c.effective_to IS NOT NULL AND (a.end_date IS NULL OR a.end_date > c.effective_to)`

// count runs a count(*) query as the database's owner.
func count(t *testing.T, dbURL, query string) int {
	t.Helper()
	var n int
	if err := testdb.Admin(t, dbURL).QueryRow(t.Context(), query).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// applyWithWriteDuringPlan merges units 90001 and 90002 of the race province into a new 91001 on
// 2025-07-01 as its editor, and makes write (on a second connection, through the register's own
// functions) from the planning step itself, when the first exit is computed: the write either lands then
// (no lock held) or waits for the apply. It returns the apply's summary and the write's error.
func applyWithWriteDuringPlan(t *testing.T, write func(ctx context.Context, st *store.Store, editor store.Principal) error) (sum *Summary, dbURL string, werr error) {
	t.Helper()
	st, dbURL := testdb.Open(t)
	seedRace(t, dbURL)
	editor := store.Principal{Role: store.RoleProvinceEditor, Province: "97", Username: "test"}
	writeDone := make(chan error, 1)
	started := false
	exit := func(p store.EntitlementPerson, _ time.Time, _ *exits.Calc) store.RunResult {
		if !started {
			started = true
			go func() { writeDone <- write(context.WithoutCancel(t.Context()), st, editor) }()
			select { // the write either lands now (no lock held) or waits for the apply
			case err := <-writeDone:
				writeDone <- err
			case <-time.After(2 * time.Second):
			}
		}
		return store.RunResult{CadreID: p.CadreID, Policy: "x", Total: decimal.NewFromInt(1), Eligible: true}
	}
	svc := Service{Store: st, Exit: exit}
	req := &Request{Province: "97", Effective: time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC), Level: "commune", Entries: []Entry{
		{Old: "90001", New: "91001", Coverage: "full", NewName: "Xã Mới", NewKind: "xa"},
		{Old: "90002", New: "91001", Coverage: "full"}}}
	sum, err := svc.Apply(t.Context(), editor, req, true)
	if err != nil {
		t.Fatalf("apply: %v", err)
	}
	if !started {
		t.Fatal("the plan computed no exit: the race was not staged")
	}
	select {
	case werr = <-writeDone:
	case <-time.After(30 * time.Second):
		t.Fatal("the concurrent write never finished")
	}
	return sum, dbURL, werr
}

// Done when: a post written into a merging unit while an apply is between reading its plan and writing
// it is not lost. The write is made from the planning step itself (a second connection, the register's
// own CreateAssignment): the apply must either see it and carry it into the new unit, or the write must
// wait for the apply and then be refused as outside its closed unit. Before the apply locked what it
// reads, the post was committed mid-plan and left behind in the closed unit.
func TestAWriteBetweenPlanAndApplyIsNotLost(t *testing.T) {
	unit := "90002"
	post := store.Assignment{Province: "97", CadreID: "00000000-0000-4000-8000-000000000002", PositionCode: "van_phong_dang_uy",
		CommuneCode: &unit, StartDate: time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)}
	sum, dbURL, werr := applyWithWriteDuringPlan(t, func(ctx context.Context, st *store.Store, editor store.Principal) error {
		_, err := st.CreateAssignment(ctx, editor, post)
		return err
	})
	var rule *store.RuleError
	moved := false
	for _, p := range sum.PostsMoved {
		moved = moved || p.FullName == "Trần Thị Hai"
	}
	switch {
	case werr == nil && !moved:
		t.Errorf("the post written during the apply was committed but the apply did not carry it: posts moved %+v", sum.PostsMoved)
	case werr != nil && !errors.As(werr, &rule):
		t.Errorf("the concurrent write failed with %v, want a refusal by the register's rules", werr)
	}
	t.Logf("concurrent write: %v; carried by the apply: %v", werr, moved)
	if n := count(t, dbURL, postsLeftInClosedUnits); n != 0 {
		t.Errorf("%d posts are still held in a unit the apply closed (write error: %v)", n, werr)
	}
}
