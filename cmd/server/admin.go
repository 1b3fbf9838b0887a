package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"

	"github.com/jackc/pgx/v5"

	"communehr/internal/demo"
	"communehr/internal/store"
)

func migrateCmd(cfg Config, args []string, stdout io.Writer) error {
	if len(args) == 0 {
		return errors.New("usage: server migrate up|down N|version")
	}
	mg, err := store.NewMigrator(cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer mg.Close()
	switch args[0] {
	case "up":
		if err := mg.Up(); err != nil {
			return err
		}
	case "down":
		if len(args) != 2 {
			return errors.New("usage: server migrate down N")
		}
		n, err := strconv.Atoi(args[1])
		if err != nil || n <= 0 {
			return fmt.Errorf("migrate down: N must be a positive whole number, not %q", args[1])
		}
		if err := mg.Down(n); err != nil {
			return err
		}
	case "version":
	default:
		return fmt.Errorf("unknown migrate command %q: use up, down N or version", args[0])
	}
	v, dirty, err := mg.Version()
	if err != nil {
		return err
	}
	latest, err := mg.Latest()
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "schema version %d (latest %d)%s\n", v, latest, map[bool]string{true: " DIRTY", false: ""}[dirty])
	return nil
}

func keysCmd(ctx context.Context, cfg Config, args []string, stdout io.Writer) error {
	if len(args) == 0 {
		return errors.New("usage: server keys create|list|revoke")
	}
	conn, err := pgx.Connect(ctx, cfg.DatabaseURL)
	if err != nil {
		return fmt.Errorf("connect: %w", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	switch args[0] {
	case "create":
		fs := flag.NewFlagSet("keys create", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		role := fs.String("role", "", "operator|ministry|province_editor|province_viewer")
		province := fs.String("province", "", "province code, for province roles")
		name := fs.String("name", "", "a label for the key")
		if err := fs.Parse(args[1:]); err != nil {
			return fmt.Errorf("keys create: %w", err)
		}
		_, token, err := store.CreateKey(ctx, conn, *role, *province, *name)
		if err != nil {
			return err
		}
		// The token alone on stdout, so that `TOKEN=$(server keys create ...)` works.
		fmt.Fprintln(stdout, token)
		return nil
	case "list":
		keys, err := store.ListKeys(ctx, conn)
		if err != nil {
			return err
		}
		enc := json.NewEncoder(stdout)
		for _, k := range keys {
			if err := enc.Encode(k); err != nil {
				return err
			}
		}
		return nil
	case "revoke":
		if len(args) != 2 {
			return errors.New("usage: server keys revoke ID")
		}
		// ID is the key's public id, as `keys list` shows it.
		if err := store.RevokeKey(ctx, conn, args[1]); err != nil {
			return fmt.Errorf("keys revoke: %w", err)
		}
		return nil
	}
	return fmt.Errorf("unknown keys command %q: use create, list or revoke", args[0])
}

func seedCmd(ctx context.Context, cfg Config, args []string, logOut io.Writer) error {
	if len(args) != 1 || args[0] != "demo" {
		return errors.New("usage: server seed demo")
	}
	if err := store.CheckCurrent(cfg.DatabaseURL); err != nil {
		return err
	}
	st, err := store.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer st.Close()
	stats, err := demo.Seed(ctx, st)
	if err != nil {
		return err
	}
	fmt.Fprintf(logOut, "seed demo: province %s: %d communes, %d hamlets, %d people, %d assignments (%s)\n",
		demo.ProvinceCode, stats.Communes, stats.Hamlets, stats.Cadres, stats.Assignments, stats.Outcome)
	ref, err := demo.SeedReference(ctx, st)
	if err != nil {
		return err
	}
	fmt.Fprintf(logOut, "seed demo: province %s (real units): %d units of 2025, %d pre-2025 units, %d lineage links; %d hamlets, %d people, %d assignments before 2025-07-01 (%s)\n",
		demo.ReferenceProvince, ref.Units2025, ref.UnitsPre, ref.Links, ref.Hamlets, ref.Cadres, ref.Assignments, ref.Outcome)
	return nil
}
