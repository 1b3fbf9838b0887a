package web

import (
	"github.com/shopspring/decimal"
)

// barChart is a horizontal bar chart of fund against paid, one row per unit, drawn by the server as SVG
// (partials.html "barchart"): no script, and a table beside it carries the same figures for screen
// readers. Geometry is in whole SVG units computed from the decimal amounts (no float).
type barChart struct {
	ID            string // the id of the chart's title element
	Title         string // already translated
	Width, Height int
	LabelW, BarW  int
	Rows          []barRow
}

type barRow struct {
	Label        string
	Href         string
	Y            int // top of the row
	FundW, PaidW int
	Fund, Paid   decimal.Decimal
	NoFund, Over bool
}

const (
	chartLabelW = 200
	chartBarW   = 520
	chartRowH   = 34 // two bars of 12 and a gap
)

// newBarChart scales every row's bars to the largest amount of the chart.
func newBarChart(id, title string, rows []barRow) barChart {
	max := decimal.Zero
	for _, r := range rows {
		max = decimal.Max(max, r.Fund, r.Paid)
	}
	for i := range rows {
		rows[i].Y = 24 + i*chartRowH
		if max.IsPositive() {
			rows[i].FundW = int(rows[i].Fund.Mul(decimal.NewFromInt(chartBarW)).Div(max).IntPart())
			rows[i].PaidW = int(rows[i].Paid.Mul(decimal.NewFromInt(chartBarW)).Div(max).IntPart())
		}
		rows[i].Over = !rows[i].NoFund && rows[i].Paid.GreaterThan(rows[i].Fund)
	}
	return barChart{ID: id, Title: title, Width: chartLabelW + chartBarW + 8, Height: 24 + len(rows)*chartRowH + 4,
		LabelW: chartLabelW, BarW: chartBarW, Rows: rows}
}
