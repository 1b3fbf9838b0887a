package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	"communehr/internal/refdata"
	"communehr/internal/store"
)

// referenceUnitsCmd is `server reference-units load --province P|--all`: the same load as
// POST /v1/provinces/{p}/reference-units, from the reference data embedded in the binary.
func referenceUnitsCmd(ctx context.Context, cfg Config, args []string, stdout io.Writer) error {
	const use = "usage: server reference-units load --province CODE | --all"
	if len(args) == 0 || args[0] != "load" {
		return errors.New(use)
	}
	fs := flag.NewFlagSet("reference-units load", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	province := fs.String("province", "", "a 2025 province code (one of 34)")
	all := fs.Bool("all", false, "every 2025 province")
	if err := fs.Parse(args[1:]); err != nil {
		return fmt.Errorf("reference-units load: %w", err)
	}
	if (*province == "") == !*all {
		return errors.New(use)
	}
	d, err := refdata.Load()
	if err != nil {
		return err
	}
	codes := d.Provinces()
	if !*all {
		if m, ok := d.MergedInto(*province); ok {
			return fmt.Errorf("reference-units load: %s %s merged into %s %s on 2025-07-01: load %s", m.Code, m.Name, m.Into.Code, m.Into.Name, m.Into.Code)
		}
		if _, ok := d.Province(*province); !ok {
			return fmt.Errorf("reference-units load: %q is not a 2025 province code", *province)
		}
		codes = []string{*province}
	}
	if err := store.CheckCurrent(cfg.DatabaseURL); err != nil {
		return err
	}
	st, err := store.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer st.Close()
	start := time.Now()
	for _, code := range codes {
		rp, _ := d.Province(code)
		t0 := time.Now()
		res, err := st.LoadReferenceUnits(ctx, store.Principal{Role: store.RoleOperator, RequestID: "cli-reference-units"}, rp)
		var ce *store.RefConflictError
		if errors.As(err, &ce) {
			for _, c := range ce.Conflicts {
				fmt.Fprintf(stdout, "%s: conflict: unit %s %s (%s) overlaps the reference unit (%s)\n", code, c.Code, c.Name,
					store.PeriodText(c.From, c.To), store.PeriodText(c.RefFrom, c.RefTo))
			}
		}
		if err != nil {
			return fmt.Errorf("province %s: %w", code, err)
		}
		fmt.Fprintf(stdout, "%s %s: units_2025 %d, units_pre2025 %d, lineage_links %d (inserted %d/%d/%d) in %s\n", code, rp.Name,
			res.Units2025, res.UnitsPre, res.Links, res.Inserted2025, res.InsertedPre, res.InsertedLinks, time.Since(t0).Round(time.Millisecond))
		for _, w := range rp.Warnings {
			fmt.Fprintf(stdout, "  warning %s %s: %s\n", w.Code, w.UnitCode, w.EN)
		}
		for _, df := range res.Differs {
			fmt.Fprintf(stdout, "  warning register_differs %s: the register's unit from %s is %s (%s), the reference's %s (%s); the register's is kept\n",
				df.Code, df.From.Format(time.DateOnly), df.Name, df.Kind, df.RefName, df.RefKind)
		}
	}
	if len(codes) > 1 {
		fmt.Fprintf(stdout, "%d provinces in %s\n", len(codes), time.Since(start).Round(time.Millisecond))
	}
	return nil
}
