package api

import (
	"testing"

	"communehr/internal/store"
)

func TestOperatorCreatesConsoleUser(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.province("01", "Thành phố Hà Nội")
	operator := e.key(store.RoleOperator, "")
	editor := e.key(store.RoleProvinceEditor, "01")

	r := e.do("POST", "/v1/users", operator, map[string]string{"username": "an.nguyen", "role": "province_editor", "province": "01"})
	mustStatus(t, r, 201)
	var u userResponse
	r.json(t, &u)
	if u.OneTimePassword == "" || !u.MustChangePassword || u.Province == nil || *u.Province != "01" {
		t.Fatalf("created %+v", u)
	}
	if _, _, err := e.st.Login(t.Context(), "an.nguyen", u.OneTimePassword, "vi"); err != nil {
		t.Fatalf("the one-time password does not log in: %v", err)
	}
	mustStatus(t, e.do("POST", "/v1/users", operator, map[string]string{"username": "an.nguyen", "role": "ministry"}), 409)
	mustStatus(t, e.do("POST", "/v1/users", editor, map[string]string{"username": "x.y.z", "role": "operator"}), 403)
	r = e.do("POST", "/v1/users", operator, map[string]string{"username": "Bad Name", "role": "ministry"})
	mustStatus(t, r, 422)
	if p := r.problem(t); len(p.Errors) != 1 || p.Errors[0].Pointer != "/username" {
		t.Fatalf("problem %+v", p)
	}
	r = e.do("POST", "/v1/users", operator, map[string]string{"username": "bo.tran", "role": "province_viewer"})
	mustStatus(t, r, 422)
	if p := r.problem(t); len(p.Errors) != 1 || p.Errors[0].Pointer != "/province" {
		t.Fatalf("problem %+v", p)
	}

	// The audit log names the officer (here the command line's operator) beside the key.
	if _, _, err := e.st.CreateUser(t.Context(), store.Principal{Role: store.RoleOperator, Username: "cli"},
		store.NewUser{Username: "chi.pham", Role: store.RoleProvinceViewer, Province: "01"}); err != nil {
		t.Fatal(err)
	}
	r = e.do("GET", "/v1/provinces/01/audit?entity=user", editor, nil)
	mustStatus(t, r, 200)
	var list auditList
	r.json(t, &list)
	named := false
	for _, it := range list.Items {
		named = named || (it.Username != nil && *it.Username == "cli")
	}
	if !named {
		t.Fatalf("no audit row names the officer: %s", r.Body)
	}
}
