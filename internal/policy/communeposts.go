package policy

import "time"

// The legal end of commune-level non-professional posts (issue 11 item 3). The two-level local government
// started on 2025-07-01 (Decree 154/2025 Art. 2 cl. 4); commune-level non-professional workers leave from
// 2025-08-01, and a province may keep individuals on "from 01/8/2025 until before 31/5/2026" (Official
// Dispatch 12/CV-BCĐ of 2025-06-20 implementing Conclusion 163-KL/TW; docs/legal-basis.md §2.1 and §3.2,
// corner 5). So, unless the province records its own end of the transition, the last day of a commune-level
// post is 2025-07-31 — the last day of the commune fund per person (Decree 33 Art. 34 cl. 1), read from that
// table so the two cannot drift apart; a province's own end may be no later than 2026-05-30.
var (
	communePostsLegalEnd       = communeFundPerPerson.Until
	communePostsTransitionLast = MustDate("2026-05-30")
)

// CommunePostsEnd is the last day commune-level non-professional posts are held in a province: its own
// recorded end of the transition when it has one (kept within the legal limit), else the legal end.
type CommunePostsEnd struct {
	LastDay  Date
	Source   string // "law" or "province"
	Citation Citation
}

// CommunePostsLastDay returns the last day commune-level posts are held, given the province's own end of
// the transition (nil: none recorded).
func CommunePostsLastDay(provinceEnd *time.Time) CommunePostsEnd {
	c := cite(instCV12of2025, "", "")
	if provinceEnd != nil {
		d := NewDate(provinceEnd.Date())
		if d.After(communePostsTransitionLast) {
			d = communePostsTransitionLast
		}
		return CommunePostsEnd{LastDay: d, Source: "province", Citation: c}
	}
	return CommunePostsEnd{LastDay: communePostsLegalEnd, Source: "law", Citation: c}
}

// CommunePostsTransitionLimit is the latest end of the transition a province may record (2026-05-30).
func CommunePostsTransitionLimit() Date { return communePostsTransitionLast }
