package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"communehr/internal/store"
)

// usersCmd is `server users create --role ROLE [--province CODE] --username NAME`: it creates a console
// officer with a one-time password, printed alone on the last line of stdout (PASSWORD=$(… | tail -1)).
// It acts as an operator named "cli" in the audit log, through the same store code as POST /v1/users.
func usersCmd(ctx context.Context, cfg Config, args []string, stdout io.Writer) error {
	if len(args) == 0 || args[0] != "create" {
		return errors.New("usage: server users create --role ROLE [--province CODE] --username NAME")
	}
	fs := flag.NewFlagSet("users create", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	role := fs.String("role", "", "operator|ministry|province_editor|province_viewer")
	province := fs.String("province", "", "province code, for province roles")
	username := fs.String("username", "", "login name (lower case letters, digits, . _ -)")
	if err := fs.Parse(args[1:]); err != nil {
		return fmt.Errorf("users create: %w", err)
	}
	if err := store.CheckCurrent(cfg.DatabaseURL); err != nil {
		return err
	}
	st, err := store.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer st.Close()
	u, pw, err := st.CreateUser(ctx, store.Principal{Role: store.RoleOperator, Username: "cli"},
		store.NewUser{Username: *username, Role: *role, Province: *province})
	if err != nil {
		var ue *store.UserError
		var ce *store.ConstraintError
		switch {
		case errors.As(err, &ue):
			return fmt.Errorf("users create: --%s: %s", ue.Field, ue.Code)
		case errors.As(err, &ce) && ce.Kind == "conflict":
			return fmt.Errorf("users create: a user named %q already exists", *username)
		case errors.As(err, &ce) && ce.Kind == "reference":
			return fmt.Errorf("users create: province %q does not exist", *province)
		}
		return err
	}
	fmt.Fprintf(stdout, "user %s (id %d, %s) created; one-time password, to be changed at first login:\n", u.Username, u.ID, u.Role)
	fmt.Fprintln(stdout, pw)
	return nil
}
