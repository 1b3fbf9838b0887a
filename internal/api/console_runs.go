package api

import (
	"context"
	"time"

	"communehr/internal/store"
)

// StartRun starts, as p, an entitlement run of the province's non-professional workers whose last day
// worked is lastDay, for reason (reorganisation or streamlining): the same startRun and job runner as
// POST …/entitlement-runs, in-process. A refusal (no base salary on the day, a full queue, shutting
// down) is an error Describe words.
func (rs *ReportService) StartRun(ctx context.Context, p store.Principal, province string, lastDay time.Time, reason string) (store.EntitlementRun, error) {
	req := runRequest{LastDayWorked: Date{Time: lastDay}, ExitDate: Date{Time: lastDay.AddDate(0, 0, 1)}, Reason: reason}
	return rs.s.startRun(ctx, p, province, req)
}
