package msgcheck

import "testing"

func TestDeveloperText(t *testing.T) {
	for s, want := range map[string]string{
		"người này đã giữ chức danh Phó Bí thư từ 2021-01-01 đến nay (phân công 48a78552-0f1e-4c2d-9a3b-1234567890ab)": "48a78552-0f1e-4c2d-9a3b-1234567890ab",
		"hamlet_code must be null: Deputy secretary is a commune-level post":                                           "null",
		"hamlet_code phải để trống":                                   "hamlet_code",
		"position_code is not a post":                                 "position_code",
		"see GET /v1/positions":                                       "/v1",
		"Mã thôn, tổ dân phố phải để trống":                           "",
		"Người này đã giữ chức danh Phó Bí thư từ 01/01/2021 đến nay": "",
	} {
		if got := DeveloperText(s); got != want {
			t.Errorf("DeveloperText(%q) = %q, want %q", s, got, want)
		}
	}
}
