package testdb

import "testing"

func TestLogPatterns(t *testing.T) {
	for line, want := range map[string][2]bool{
		`{"msg":"x","token":"chr_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_AbCdEfG"}`:     {true, false},
		`{"msg":"x","national_id":"001085012345"}`:                                    {false, true},
		`{"db":"postgres://x/chr_test_d82a389dab2e","request_id":"216102088437e549"}`: {false, false},
		`{"msg":"x","rows":3001085012345}`:                                            {false, false},
	} {
		if got := [2]bool{tokenInLog.MatchString(line), nationalIDInLog.MatchString(line)}; got != want {
			t.Errorf("%s: token, national id = %v, want %v", line, got, want)
		}
	}
}
