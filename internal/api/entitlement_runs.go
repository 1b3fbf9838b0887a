package api

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/shopspring/decimal"

	"communehr/internal/jobs"
	"communehr/internal/msg"
	"communehr/internal/policy"
	"communehr/internal/store"
)

// Entitlement runs (issue 6, item 4): the computation of POST cadres/{id}/entitlements for every matching
// person of the province, as a background job (202 + Location, progress like imports), with totals by
// policy and by commune, the time spent reading, computing and writing, and results.csv.

// runBatchSize is how many people one batch reads (two queries) and writes (one COPY).
const runBatchSize = 2000

type runFilterRequest struct {
	CommuneCode   string   `json:"commune_code,omitempty" validate:"omitempty,max=20"`
	PositionLevel string   `json:"position_level,omitempty" validate:"omitempty,oneof=commune hamlet"`
	IDs           []string `json:"ids,omitempty" validate:"omitempty,max=10000,dive,uuid"`
}

// runRequest is the body of POST entitlement-runs. A run computes the exits of non-professional workers
// (reorganisation or streamlining); early retirement and resignation need each person's salary and are
// computed one by one.
type runRequest struct {
	LastDayWorked Date             `json:"last_day_worked"` // exactly one of the two (settleExitDates)
	ExitDate      Date             `json:"exit_date"`
	Reason        string           `json:"reason" validate:"required,oneof=reorganisation streamlining"`
	DecisionDate  *Date            `json:"decision_date,omitempty"`
	RoadmapEnd    *Date            `json:"roadmap_end,omitempty"` // Decree 29/2023, appointed posts
	Filter        runFilterRequest `json:"filter"`
}

type runTimings struct {
	ReadMS    int `json:"read_ms"`
	ComputeMS int `json:"compute_ms"`
	WriteMS   int `json:"write_ms"`
}

type runResponse struct {
	ID              string               `json:"id"`
	LastDayWorked   Date                 `json:"last_day_worked"`
	ExitDate        Date                 `json:"exit_date"`
	Reason          string               `json:"reason"`
	DecisionDate    *Date                `json:"decision_date"`
	RoadmapEnd      *Date                `json:"roadmap_end"`
	Filter          store.RunFilter      `json:"filter"`
	Status          string               `json:"status"`
	FailureReason   *string              `json:"failure_reason"`
	PeopleTotal     int                  `json:"people_total"`
	PeopleProcessed int                  `json:"people_processed"`
	PeopleEligible  int                  `json:"people_eligible"`
	Total           decimal.Decimal      `json:"total"`
	TotalsByPolicy  []store.PolicyTotal  `json:"totals_by_policy"`
	TotalsByCommune []store.CommuneTotal `json:"totals_by_commune"`
	RulesetVersion  string               `json:"ruleset_version"`
	Timings         runTimings           `json:"timings"`
	StartedAt       time.Time            `json:"started_at"`
	FinishedAt      *time.Time           `json:"finished_at"`
}

func toRunResponse(r store.EntitlementRun) runResponse {
	out := runResponse{ID: r.ID, LastDayWorked: Date{Time: r.ExitDate.AddDate(0, 0, -1)}, ExitDate: Date{Time: r.ExitDate}, Reason: r.Reason, DecisionDate: datePtr(r.DecisionDate),
		RoadmapEnd: datePtr(r.RoadmapEnd), Filter: r.Filter, Status: r.Status, FailureReason: r.FailureReason, PeopleTotal: r.PeopleTotal,
		PeopleProcessed: r.PeopleProcessed, PeopleEligible: r.PeopleEligible, Total: r.Total, TotalsByPolicy: r.ByPolicy,
		TotalsByCommune: r.ByCommune, RulesetVersion: r.RulesetVersion,
		Timings:   runTimings{ReadMS: r.ReadMS, ComputeMS: r.ComputeMS, WriteMS: r.WriteMS},
		StartedAt: r.StartedAt.UTC()}
	if out.TotalsByPolicy == nil {
		out.TotalsByPolicy = []store.PolicyTotal{}
	}
	if out.TotalsByCommune == nil {
		out.TotalsByCommune = []store.CommuneTotal{}
	}
	if r.FinishedAt != nil {
		t := r.FinishedAt.UTC()
		out.FinishedAt = &t
	}
	return out
}

func (s *Server) createEntitlementRun(w http.ResponseWriter, r *http.Request) error {
	var req runRequest
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	if err := settleExitDates(&req.LastDayWorked, &req.ExitDate); err != nil {
		return err
	}
	got, err := s.startRun(r.Context(), principalFrom(r.Context()), chi.URLParam(r, "province"), req)
	if err != nil {
		return err
	}
	w.Header().Set("Location", strings.TrimSuffix(r.URL.Path, "/")+"/"+got.ID)
	w.Header().Set("Ruleset-Version", policy.RulesetVersion)
	return writeJSON(w, http.StatusAccepted, toRunResponse(got))
}

// startRun starts an entitlement run for province as p on the job runner (or queues it), and returns it
// once it has started (or is queued): POST …/entitlement-runs and the console's runs page both call it.
func (s *Server) startRun(ctx context.Context, p store.Principal, province string, req runRequest) (store.EntitlementRun, error) {
	exit := policy.NewDate(req.ExitDate.Date())
	if _, _, err := policy.BaseSalary(exit.AddDays(-1)); err != nil {
		return store.EntitlementRun{}, noPost("no base salary is in force on the last day worked", "không có mức lương cơ sở áp dụng vào ngày làm việc cuối cùng")
	}
	run := store.EntitlementRun{Province: province, ID: newUUID(), ExitDate: req.ExitDate.Time, Reason: req.Reason,
		DecisionDate: timePtr(req.DecisionDate), RoadmapEnd: timePtr(req.RoadmapEnd), Filter: store.RunFilter(req.Filter)}
	ereq := entitlementRequest{LastDayWorked: req.LastDayWorked, ExitDate: req.ExitDate, Reason: req.Reason, DecisionDate: req.DecisionDate, RoadmapEnd: req.RoadmapEnd}
	// The run takes a slot of the job runner, or waits queued for one (202 queued); a full queue is a 429.
	tk, err := s.reserveJob(province)
	if err != nil {
		return run, err
	}
	if tk.Queued() {
		if run, err = s.store.QueueEntitlementRun(ctx, p, run, policy.RulesetVersion); err != nil {
			tk.Abandon()
			return run, err
		}
	}
	started := make(chan store.EntitlementRun, 1)
	failed := make(chan error, 1)
	work := store.RunWork{BatchSize: runBatchSize, RulesetVersion: policy.RulesetVersion, Compute: runCompute(ereq),
		Started: func(run store.EntitlementRun) { started <- run }}
	tk.Start(&jobs.Job{Province: province, ID: run.ID,
		Run: func(ctx context.Context) {
			if _, err := s.store.RunEntitlements(ctx, p, run, work); err != nil {
				if !errors.Is(err, store.ErrJobCancelled) && !errors.Is(err, store.ErrJobNotQueued) {
					s.logger.Error("entitlement run failed", "run_id", run.ID, "request_id", p.RequestID, "error", err.Error())
				}
				failed <- err
			}
		},
		Drop: func(cause error) {
			status, reason := store.JobEndCause(cause)
			_, _ = s.store.EndJob(context.Background(), p, "entitlement_run", province, run.ID, status, reason)
		},
		Keepalive: func() { _ = s.store.TouchQueuedJob(context.Background(), p, "entitlement_run", province, run.ID) }})
	var got store.EntitlementRun
	if tk.Queued() {
		got = run
	} else {
		select {
		case got = <-started:
		case err := <-failed:
			select {
			case got = <-started: // it failed after starting: the run exists (and reads failed)
			default:
				return run, err
			}
		case <-ctx.Done():
			return run, ctx.Err()
		}
	}
	return got, nil
}

// runCompute is the per-person computation of a run: exactly that of POST cadres/{id}/entitlements, with
// one allowance calculator (the day before the exit, the schedule in force then) shared by everyone, so
// that each (post, hamlet category) amount and the central share are computed once per run.
// runComputeWorkers is how many goroutines compute one batch of an entitlement run.
const runComputeWorkers = 2

func runCompute(req entitlementRequest) func([]store.EntitlementPerson) []store.RunResult {
	var calc *allowanceCalc
	before := policy.NewDate(req.ExitDate.Date()).AddDays(-1)
	return func(people []store.EntitlementPerson) []store.RunResult {
		out := make([]store.RunResult, len(people))
		if len(people) == 0 {
			return out
		}
		if calc == nil {
			calc, _ = newAllowanceCalc(before, people[0].Schedule) // nil on error: each person then reports it
		}
		// The rules engine is pure and the calculator is safe for concurrent use, so the people of a
		// batch are computed on runComputeWorkers goroutines; each writes only its own results.
		var wg sync.WaitGroup
		chunk := (len(people) + runComputeWorkers - 1) / runComputeWorkers
		for lo := 0; lo < len(people); lo += chunk {
			hi := min(lo+chunk, len(people))
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := lo; i < hi; i++ {
					out[i] = runOne(people[i], req, calc)
				}
			}()
		}
		wg.Wait()
		return out
	}
}

func runOne(p store.EntitlementPerson, req entitlementRequest, calc *allowanceCalc) store.RunResult {
	res := store.RunResult{CadreID: p.CadreID}
	in, ctx, err := buildEntitlementWith(p, req, calc)
	if in.WorkMonths != nil {
		m := *in.WorkMonths
		res.WorkMonths = &m
	}
	if a := ctx.Allowance; a != nil {
		res.PositionCode, res.Level = &a.PositionCode, &a.Level
		if a.Used != nil {
			v := *a.Used
			res.MonthlyAllowance = &v
		}
		for _, pp := range p.Posts {
			if pp.AssignmentID != a.AssignmentID {
				continue
			}
			res.HamletCode = pp.HamletCode
			switch {
			case pp.Commune != nil:
				code := pp.Commune.Code
				res.CommuneCode = &code
			default:
				res.CommuneCode = pp.CommuneCode
			}
		}
	}
	if err != nil {
		res.Reason = runReason(err)
		return res
	}
	best, err := policy.BestExit(in)
	if err != nil {
		res.Reason = runReason(policyProblem(err, &in))
		return res
	}
	res.Policy, res.Total, res.Eligible = best.Chosen, best.Total, best.Chosen != ""
	var reasons []msg.Message
	for _, o := range best.Options {
		if (o.Policy == best.Chosen || best.Chosen == "") && !o.Message.IsZero() {
			reasons = append(reasons, o.Message)
		}
	}
	if best.Chosen == "" {
		reasons = append(reasons, best.Messages...)
	}
	res.Reason = storedReason(reasons...)
	return res
}

// storedReason keeps a run result's reason in both languages (as JSON of a msg.Text), so that results.csv
// speaks the language of whoever downloads it (reasonIn).
func storedReason(ms ...msg.Message) string {
	var vi, en []string
	for _, m := range ms {
		vi, en = append(vi, m.Render(msg.VI)), append(en, m.Render(msg.EN))
	}
	return storedText(msg.Text{VI: strings.Join(vi, "; "), EN: strings.Join(en, "; ")})
}

func storedText(t msg.Text) string {
	b, _ := json.Marshal(t)
	return string(b)
}

// reasonIn reads a stored reason in l; a reason stored before reasons were bilingual is shown as it is.
func reasonIn(stored string, l msg.Lang) string { return msg.FromStored(stored).In(l) }

// runReason is why no policy could be computed for a person, in Vietnamese and English.
func runReason(err error) string {
	var e *Error
	if !errors.As(err, &e) {
		return storedText(msg.Text{VI: "Không tính được cho người này; mã yêu cầu giúp tra cứu trong nhật ký.",
			EN: "This person could not be computed; the request id identifies it in the logs."})
	}
	if len(e.Fields) > 0 {
		f := e.Fields[0]
		return storedText(msg.Text{VI: f.MessageVI, EN: f.MessageEN})
	}
	return storedText(msg.Text{VI: e.DetailVI, EN: e.DetailEN})
}

type runList struct {
	Items      []runResponse `json:"items"`
	NextCursor *string       `json:"next_cursor"`
}

func (s *Server) listEntitlementRuns(w http.ResponseWriter, r *http.Request) error {
	limit, before, err := page(r)
	if err != nil {
		return err
	}
	runs, err := s.store.ListEntitlementRuns(r.Context(), principalFrom(r.Context()), chi.URLParam(r, "province"), limit, before)
	if err != nil {
		return err
	}
	out := runList{Items: make([]runResponse, 0, len(runs))}
	last := ""
	for _, run := range runs {
		out.Items = append(out.Items, toRunResponse(run))
		last = run.Cursor()
	}
	out.NextCursor = nextCursor(last, len(runs), limit)
	return writeJSON(w, http.StatusOK, out)
}

func (s *Server) getEntitlementRun(w http.ResponseWriter, r *http.Request) error {
	run, err := s.store.GetEntitlementRun(r.Context(), principalFrom(r.Context()), chi.URLParam(r, "province"), chi.URLParam(r, "id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, toRunResponse(run))
}

// entitlementRunResultsCSV returns one row per person of a finished run (UTF-8 with BOM, formula cells
// neutralised); 409 while the run is running or when it failed.
func (s *Server) entitlementRunResultsCSV(w http.ResponseWriter, r *http.Request) error {
	p := principalFrom(r.Context())
	province, id := chi.URLParam(r, "province"), chi.URLParam(r, "id")
	run, err := s.store.GetEntitlementRun(r.Context(), p, province, id)
	if err != nil {
		return err
	}
	if run.Status != "succeeded" {
		return errConflict("The run has no results: it is "+run.Status+".", "Lượt tính chưa có kết quả: trạng thái "+run.Status+".",
			FieldError{Pointer: "/status", Code: "run_" + run.Status, MessageEN: "the run is " + run.Status, MessageVI: "lượt tính đang ở trạng thái " + run.Status})
	}
	results, err := s.store.EntitlementRunResults(r.Context(), p, province, id)
	if err != nil {
		return err
	}
	header := []string{"cadre_id", "full_name", "commune_code", "hamlet_code", "position_code", "level", "monthly_allowance",
		"work_months", "policy", "total", "eligible", "reason"}
	str := func(s *string) string {
		if s == nil {
			return ""
		}
		return *s
	}
	rows := make([][]string, 0, len(results))
	for _, x := range results {
		allowance, months := "", ""
		if x.MonthlyAllowance != nil {
			allowance = x.MonthlyAllowance.String()
		}
		if x.WorkMonths != nil {
			months = strconv.Itoa(*x.WorkMonths)
		}
		rows = append(rows, []string{x.CadreID, x.FullName, str(x.CommuneCode), str(x.HamletCode), str(x.PositionCode),
			str(x.Level), allowance, months, x.Policy, x.Total.String(), strconv.FormatBool(x.Eligible), reasonIn(x.Reason, langOf(r))})
	}
	contentLanguage(w, r)
	return writeCSV(w, "entitlement-run-"+run.ID+".csv", header, rows)
}
