package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/shopspring/decimal"

	"communehr/internal/policy"
	"communehr/internal/reorg"
	"communehr/internal/vnfmt"
)

// languages of the console; Vietnamese is the reference catalogue and the default.
var languages = []string{"vi", "en"}

// catalog is one language's messages by key.
type catalog map[string]string

func mustLoadCatalogs() map[string]catalog {
	out := map[string]catalog{}
	for _, lang := range languages {
		b, err := files.ReadFile("translations/" + lang + ".json")
		if err != nil {
			panic(err)
		}
		var c catalog
		if err := json.Unmarshal(b, &c); err != nil {
			panic(fmt.Sprintf("translations/%s.json: %v", lang, err))
		}
		out[lang] = c
	}
	return out
}

// language is the officer's choice (cookie), Vietnamese by default.
func language(r *http.Request) string {
	if ck, err := r.Cookie(langCookie); err == nil && ck.Value == "en" {
		return "en"
	}
	return "vi"
}

// formatDate writes a date the Vietnamese way, dd/mm/yyyy, in both languages; "" for none.
func formatDate(v any) string {
	switch d := v.(type) {
	case time.Time:
		if d.IsZero() {
			return ""
		}
		return d.Format("02/01/2006")
	case *time.Time:
		if d == nil {
			return ""
		}
		return formatDate(*d)
	case policy.Date:
		if d.IsZero() {
			return ""
		}
		return fmt.Sprintf("%02d/%02d/%04d", d.Day, int(d.Month), d.Year)
	case *policy.Date:
		if d == nil {
			return ""
		}
		return formatDate(*d)
	case reorg.Date:
		return formatDate(d.Time)
	case *reorg.Date:
		if d == nil {
			return ""
		}
		return formatDate(d.Time)
	}
	return ""
}

// formatMoney writes an amount in whole đồng with "." between thousands (2.340.000; -1.500), as the
// exports do: vnfmt.Money.
func formatMoney(v any) string {
	switch x := v.(type) {
	case decimal.Decimal:
		return vnfmt.Money(x)
	case *decimal.Decimal:
		if x != nil {
			return vnfmt.Money(*x)
		}
	}
	return ""
}

// formatNumber writes a count with "." between thousands.
func formatNumber(v any) string {
	switch n := v.(type) {
	case int:
		return vnfmt.Number(decimal.NewFromInt(int64(n)))
	case int64:
		return vnfmt.Number(decimal.NewFromInt(n))
	}
	return fmt.Sprint(v)
}

// formatDateTime writes an instant as dd/mm/yyyy hh:mm in Vietnam's time (UTC+7).
func formatDateTime(t time.Time) string {
	return t.In(time.FixedZone("ICT", 7*3600)).Format("02/01/2006 15:04")
}
