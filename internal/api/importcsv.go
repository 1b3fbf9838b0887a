package api

import (
	"communehr/internal/store"
	"communehr/internal/tabular"
)

// Reading an upload is package tabular's (spooling, encodings, delimiter, header, records with their
// lines); this file joins it to the import pipeline.

// syncMaxRows is the largest file (in lines) an upload waits for; larger files answer 202 and run in the
// background.
const syncMaxRows = 50000

// spool is an upload copied to a temporary file (tabular.Spool).
type spool = tabular.Spool

// rowError is a tabular problem as the import's row error (nil for nil).
func rowError(p *tabular.Problem) *store.RowError {
	if p == nil {
		return nil
	}
	return &store.RowError{Line: p.Line, Column: p.Column, Code: p.Code, MessageEN: p.MessageEN, MessageVI: p.MessageVI}
}

// rowErrors is rowError over a list.
func rowErrors(ps []tabular.Problem) []store.RowError {
	out := make([]store.RowError, len(ps))
	for i := range ps {
		out[i] = *rowError(&ps[i])
	}
	return out
}
