package api

import (
	"testing"
)

// Issue 13 item 5: an error found by the register's checks (here: a hamlet of a commune the province does
// not have) names the column as the file heads it, for every kind, not the register's own column name.
func TestImportErrorsNameTheColumnAsUploaded(t *testing.T) {
	t.Parallel()
	e, ed := importEnv(t)
	for _, c := range []struct{ header, want string }{
		{"Mã thôn,Mã xã,\"Tên thôn, tổ dân phố\",Loại,Số hộ gia đình,Ngày hiệu lực\n", "Mã xã"},
		{"code,commune_code,name,kind,households,effective_from\n", "commune_code"},
	} {
		j := importJob(t, e.upload(ed, "kind=hamlets&mode=validate", []byte(c.header+"H9,99999,Thôn Chín,thon,120,2020-01-01\n")))
		if j.Status != "failed" || len(j.Errors) != 1 || j.Errors[0].Line != 2 || j.Errors[0].Code != "invalid_reference" {
			t.Fatalf("%q: %+v", c.header, j)
		}
		if j.Errors[0].Column != c.want {
			t.Errorf("%q: the error names column %q, want %q as uploaded", c.header, j.Errors[0].Column, c.want)
		}
	}
}
