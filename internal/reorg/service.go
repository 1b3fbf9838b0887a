package reorg

import (
	"context"
	"errors"

	"communehr/internal/policy"
	"communehr/internal/store"
)

// Service previews and applies reorganisations against the store; Exit computes the affected people's
// exits (the API's entitlement code, so both front doors show the same figures).
type Service struct {
	Store *store.Store
	Exit  ExitFunc
}

func (s Service) planner(req *Request, vi, apply bool) (*planner, store.ReorgRequest, error) {
	if err := req.resolve(); err != nil {
		return nil, store.ReorgRequest{}, err
	}
	pl := &planner{req: req, vi: vi, eff: policy.NewDate(req.Effective.Date()), apply: apply, exit: s.Exit}
	return pl, req.storeRequest(), nil
}

// Preview plans req in one read-only transaction and writes nothing.
func (s Service) Preview(ctx context.Context, p store.Principal, req *Request, vi bool) (*Summary, error) {
	pl, sreq, err := s.planner(req, vi, false)
	if err != nil {
		return nil, err
	}
	out, err := s.Store.PreviewReorganisation(ctx, p, sreq, pl.plan)
	if err != nil {
		return nil, err
	}
	sum := out.(*Summary)
	sum.Mode = "preview"
	return sum, nil
}

// Apply plans and writes req in one transaction that locks what it reads first, with one audit row in
// the name of p. The summary's ID is empty when the register already recorded all of it (nothing was
// written); Repeated is set, with the first answer, when the same request was applied before.
func (s Service) Apply(ctx context.Context, p store.Principal, req *Request, vi bool) (*Summary, error) {
	pl, sreq, err := s.planner(req, vi, true)
	if err != nil {
		return nil, err
	}
	out, err := s.Store.ApplyReorganisation(ctx, p, sreq, pl.plan, func(summary any, id string) any {
		sum := summary.(*Summary)
		sum.Mode, sum.ID = "apply", id
		return sum
	})
	var prev *store.ErrReorgApplied
	if errors.As(err, &prev) {
		sum, err := decodeSummary(prev.Summary)
		if err != nil {
			return nil, err
		}
		sum.Repeated = true
		return sum, nil
	}
	if err != nil {
		return nil, err
	}
	return out.(*Summary), nil
}
