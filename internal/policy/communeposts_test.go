package policy

import (
	"testing"
	"time"
)

// The legal end of commune-level posts is the last day of the commune fund per person (one date, read from
// the table), 2025-07-31; a province's own end is kept within the transition limit.
func TestCommunePostsEndIsTheCommuneFundsLastDay(t *testing.T) {
	law := CommunePostsLastDay(nil)
	if law.LastDay != communeFundPerPerson.Until || law.LastDay != MustDate("2025-07-31") || law.Source != "law" {
		t.Fatalf("legal end %v (%s), commune fund until %v", law.LastDay, law.Source, communeFundPerPerson.Until)
	}
	if _, err := communeFundPerPerson.at(law.LastDay); err != nil {
		t.Errorf("the commune fund does not cover the last day of the posts: %v", err)
	}
	if _, err := communeFundPerPerson.at(law.LastDay.AddDays(1)); err == nil {
		t.Error("the commune fund covers the day after the posts end")
	}
	late := time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC)
	if got := CommunePostsLastDay(&late); got.LastDay != CommunePostsTransitionLimit() || got.Source != "province" {
		t.Errorf("a province end after the limit: %v (%s)", got.LastDay, got.Source)
	}
}
