// Package reorg plans and applies a reorganisation of a province's units (issue 11 item 5): the 2025
// national merger or a mapping of the province's own, at commune or hamlet level. The API's
// POST …/reorganisations and the console's reorganisation page both call it; it never speaks HTTP.
package reorg

import (
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/shopspring/decimal"
)

// MappingNational2025 names the 2025 national merger of the embedded reference data as a mapping.
const MappingNational2025 = "national-2025"

// Date is a calendar date, "YYYY-MM-DD" in JSON (as in the API's answers).
type Date struct{ time.Time }

// MarshalJSON writes the date as "YYYY-MM-DD".
func (d Date) MarshalJSON() ([]byte, error) { return []byte(`"` + d.Format(time.DateOnly) + `"`), nil }

// UnmarshalJSON reads "YYYY-MM-DD" (a stored summary).
func (d *Date) UnmarshalJSON(b []byte) error {
	s, err := strconv.Unquote(string(b))
	if err != nil {
		return fmt.Errorf("date %s: %w", b, err)
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return err
	}
	d.Time = t
	return nil
}

// Entry is one line of a mapping: the old unit (or hamlet) went, wholly or in part, into the new one.
// A new unit that the register does not hold yet is created with new_name (and new_kind for a
// commune-level unit).
type Entry struct {
	Old      string `json:"old"`
	New      string `json:"new"`
	Coverage string `json:"coverage"`
	NewName  string `json:"new_name,omitempty"`
	NewKind  string `json:"new_kind,omitempty"`

	Line int `json:"-"` // the line of an uploaded mapping file (ReadCSV), 0 for a JSON entry
}

// UnitRef names a unit (or hamlet) in a reorganisation's answer.
type UnitRef struct {
	Code          string    `json:"code"`
	UnitID        string    `json:"unit_id,omitempty"`
	Name          string    `json:"name,omitempty"`
	Kind          string    `json:"kind,omitempty"`
	EffectiveFrom *Date     `json:"effective_from,omitempty"`
	EffectiveTo   *Date     `json:"effective_to,omitempty"`
	Coverage      string    `json:"coverage,omitempty"`
	Successors    []UnitRef `json:"successors,omitempty"`
	Already       bool      `json:"already_recorded"`
}

// HamletMove is a hamlet that goes under another commune-level unit.
type HamletMove struct {
	HamletCode string `json:"hamlet_code"`
	Name       string `json:"name"`
	FromUnit   string `json:"from_unit"`
	ToUnit     string `json:"to_unit"`
}

// Post is a post the reorganisation moves or ends.
type Post struct {
	AssignmentID string `json:"assignment_id"`
	CadreID      string `json:"cadre_id"`
	FullName     string `json:"full_name"`
	PositionCode string `json:"position_code"`
	FromUnit     string `json:"from_unit"`
	ToUnit       string `json:"to_unit,omitempty"`
	EndDate      *Date  `json:"end_date,omitempty"`
}

// BestExit is the most favourable exit policy of an affected person.
type BestExit struct {
	Policy   string          `json:"policy"`
	Total    decimal.Decimal `json:"total"`
	Eligible bool            `json:"eligible"`
	Reason   string          `json:"reason"`
}

// Person is someone whose post the reorganisation ends.
type Person struct {
	CadreID  string   `json:"cadre_id"`
	FullName string   `json:"full_name"`
	Post     Post     `json:"post"`
	ExitDate Date     `json:"exit_date"`
	BestExit BestExit `json:"best_exit"`
}

// Question is what a split asks: which new unit takes a hamlet or a post.
type Question struct {
	Kind    string   `json:"kind"` // hamlet | post
	ID      string   `json:"id"`
	Unit    string   `json:"unit"`
	Choices []string `json:"choices"`
	Message string   `json:"message"`

	Name         string `json:"-"` // the hamlet's name, or the post holder's (the console shows them)
	PositionCode string `json:"-"`
	// A post's title and period, so that the messages name the post as an officer knows it (not by its id).
	TitleEN, TitleVI string     `json:"-"`
	Start            time.Time  `json:"-"`
	End              *time.Time `json:"-"`
}

// FundLine is the monthly fund of the units of one class (communes) or category (hamlets).
type FundLine struct {
	Class       int              `json:"class,omitempty"`
	Category    string           `json:"category,omitempty"`
	Units       int              `json:"units"`
	MonthlyFund *decimal.Decimal `json:"monthly_fund"`
}

// Funds are the Decree 33 funds of the units on a date.
type Funds struct {
	On          Date            `json:"on"`
	Communes    []FundLine      `json:"communes"`
	Hamlets     []FundLine      `json:"hamlets"`
	CommuneFund decimal.Decimal `json:"commune_total"`
	HamletFund  decimal.Decimal `json:"hamlet_total"`
}

// Summary is the answer of a preview and of an apply (stored with it).
type Summary struct {
	Mode           string          `json:"mode"`
	ID             string          `json:"reorganisation_id,omitempty"`
	Repeated       bool            `json:"repeated,omitempty"`
	Level          string          `json:"level"`
	EffectiveDate  Date            `json:"effective_date"`
	UnitsClosed    []UnitRef       `json:"units_closed"`
	UnitsCreated   []UnitRef       `json:"units_created"`
	HamletsMoved   []HamletMove    `json:"hamlets_moved"`
	PostsMoved     []Post          `json:"posts_moved"`
	PostsEnded     []Post          `json:"posts_ended"`
	PeopleAffected []Person        `json:"people_affected"`
	NeedsAnswer    []Question      `json:"needs_answer"`
	FundsBefore    Funds           `json:"funds_before"`
	FundsAfter     Funds           `json:"funds_after"`
	ExitCostTotal  decimal.Decimal `json:"exit_cost_total"`
	Warnings       []string        `json:"warnings"`
}

func newSummary(level string, eff time.Time) *Summary {
	return &Summary{Level: level, EffectiveDate: Date{eff}, UnitsClosed: []UnitRef{},
		UnitsCreated: []UnitRef{}, HamletsMoved: []HamletMove{}, PostsMoved: []Post{}, PostsEnded: []Post{},
		PeopleAffected: []Person{}, NeedsAnswer: []Question{}, Warnings: []string{}}
}

// decodeSummary reads a stored summary.
func decodeSummary(b []byte) (*Summary, error) {
	var s Summary
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, err
	}
	return &s, nil
}

// Field points at one offending input: a JSON pointer into the request (or a mapping line and column).
type Field struct {
	Pointer, Code string
	EN, VI        string
}

// Invalid is a request or mapping that cannot be planned as it is; nothing was written.
type Invalid struct {
	DetailEN, DetailVI string
	Fields             []Field

	units []string // the mapping's unit each field is about, where the field's pointer does not say it
}

func (e *Invalid) Error() string { return "reorganisation: " + e.DetailEN }

func invalid(en, vi string, fields ...Field) *Invalid {
	return &Invalid{DetailEN: en, DetailVI: vi, Fields: fields}
}

// requestInvalid is the 422 of a request whose fields are wrong.
func requestInvalid(fields ...Field) *Invalid {
	return invalid("The reorganisation request is not valid.", "Yêu cầu sắp xếp đơn vị không hợp lệ.", fields...)
}

// ErrNoReferenceData is a national-2025 mapping for a province the reference data does not hold.
var ErrNoReferenceData = fmt.Errorf("reorganisation: the reference data has no such province")
