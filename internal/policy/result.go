package policy

import (
	"github.com/shopspring/decimal"

	"communehr/internal/msg"
)

// Line is one itemised step of a result: what was computed, with the actual
// numbers, and the clause that says so.
type Line struct {
	Code    string `json:"code"`
	LabelVI string `json:"label_vi"`
	LabelEN string `json:"label_en"`
	// Formula shows the computation with the numbers used, e.g.
	// "0.5 × 2,340,000 × 7 months".
	Formula string `json:"formula"`
	// Amount is in whole đồng (see roundDong); it marshals as a JSON string.
	Amount   decimal.Decimal `json:"amount"`
	Citation Citation        `json:"citation"`
}

// ParamUse is one parameter value a computation used (or, for Parameters,
// one value in force), with the date its entry took effect.
type ParamUse struct {
	Name     string   `json:"name"`
	Value    string   `json:"value"`
	From     Date     `json:"from"`
	Citation Citation `json:"citation"`
}

// Result is the common part of every calculator's answer. Total is the sum
// of the rounded line amounts. Lines, Parameters and Warnings are never nil,
// so they marshal as [] rather than null.
type Result struct {
	Total          decimal.Decimal `json:"total"`
	Currency       string          `json:"currency"`
	Lines          []Line          `json:"lines"`
	Parameters     []ParamUse      `json:"parameters"`
	Warnings       []string        `json:"warnings"`
	RulesetVersion string          `json:"ruleset_version"`
	// Messages are the warnings as catalogue codes and arguments (package msg); Warnings is their
	// rendering, in English until the edge calls Localize with the reader's language.
	Messages []msg.Message `json:"-"`
}

// Localize renders the warnings in l.
func (r *Result) Localize(l msg.Lang) {
	if r.Messages != nil {
		r.Warnings = msg.RenderAll(r.Messages, l)
	}
}

// builder assembles a Result: each money line is rounded once, the total is
// the sum of the rounded lines, parameters are listed once each.
type builder struct {
	r    Result
	seen map[ParamUse]bool
}

func newBuilder() *builder {
	return &builder{
		r: Result{Total: decimal.Zero, Currency: "VND", Lines: []Line{}, Parameters: []ParamUse{},
			Warnings: []string{}, RulesetVersion: RulesetVersion, Messages: []msg.Message{}},
		seen: map[ParamUse]bool{},
	}
}

// line adds a money line; amount is rounded here, once (roundDong).
func (b *builder) line(code, vi, en, formula string, amount decimal.Decimal, c Citation) {
	a := roundDong(amount)
	b.r.Lines = append(b.r.Lines, Line{Code: code, LabelVI: vi, LabelEN: en, Formula: formula, Amount: a, Citation: c})
	b.r.Total = b.r.Total.Add(a)
}

func (b *builder) param(p ParamUse) {
	if !b.seen[p] {
		b.seen[p] = true
		b.r.Parameters = append(b.r.Parameters, p)
	}
}

// warn adds a warning from the catalogue (package msg).
func (b *builder) warn(code string, args ...any) { b.warnMsg(msg.New(code, args...)) }

func (b *builder) warnMsg(m msg.Message) {
	b.r.Messages = append(b.r.Messages, m)
	b.r.Warnings = append(b.r.Warnings, m.Render(msg.EN))
}

func (b *builder) result() Result { return b.r }

// emptyResult is a Result with no lines (used with errors and by ineligible
// options) that still marshals its lists as [].
func emptyResult() Result { return newBuilder().result() }
