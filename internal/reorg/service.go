package reorg

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5/pgconn"

	"communehr/internal/policy"
	"communehr/internal/store"
)

// ErrBusy is an apply that kept colliding with other writes to the same units (a serialization failure
// or a deadlock, still there after the store's retries): nothing was written, and it may be tried again.
var ErrBusy = errors.New("reorganisation: the units are being changed by another request")

// busy turns a serialization failure or deadlock that outlived the store's retries into ErrBusy.
func busy(err error) error {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && (pgErr.Code == "40001" || pgErr.Code == "40P01") {
		return fmt.Errorf("%w (%s)", ErrBusy, pgErr.Code)
	}
	return err
}

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
		return nil, req.locate(lifeRefused(err))
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
		return nil, req.locate(busy(lifeRefused(postRefused(err))))
	}
	return out.(*Summary), nil
}
