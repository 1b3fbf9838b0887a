package api

import (
	"fmt"
	"strings"
	"testing"

	"communehr/internal/msg/msgcheck"
)

// postRuleOrder is the order in which POST/PATCH …/assignments checks the four rules of posts that need the
// register (checkAssignment): it reports the first broken, an import every one broken on a line.
var postRuleOrder = []string{"outside_unit_life", "too_many_hamlet_posts", "too_many_holders", "overlap"}

// The four rules of posts — a post within its unit's life, at most 3 paid hamlet posts at once (Decree
// 33/2023 Art. 33 cl. 6), holders at once ≤ max_per_unit, no overlapping periods of one post for one
// person — give the same verdict on the records API and on an import (issue 10 item 8): each case is one
// post, written once through POST (or PATCH, for a held post the row updates) …/assignments and once as the
// only row of a posts import (validate mode) over the same register. Both must refuse or both accept; a
// refusal has the same code, on the same field (pointer /x, column x), with the same message in English
// and in Vietnamese. It fails if either path's detection or wording changes alone.
func TestPostRulesSameOnRecordsAPIAndImport(t *testing.T) {
	t.Parallel()
	e, ed := importEnv(t)
	importJob(t, e.upload(ed, "kind=communes", []byte(communesCSV)))
	hamlets := "code,commune_code,name,kind,households,effective_from,effective_to\n" +
		"HA,00100,Thôn A,thon,300,2020-01-01,\nHB,00100,Thôn B,thon,300,2020-01-01,\nHC,00100,Thôn C,thon,300,2020-01-01,2022-12-31\n"
	names := []string{"", "Lê An", "Trần Bình", "Phạm Chi", "Vũ Dung", "Hoàng Em", "Đỗ Giang", "Bùi Hà", "Ngô Khánh", "Lý Lan"}
	people := "national_id,full_name,gender,birth_date\n"
	for i := 1; i <= 9; i++ {
		people += fmt.Sprintf("%s,%s,male,1980-05-17\n", nidP(i), names[i])
	}
	// Held: hamlet HA has 3 paid posts from 2024-03-01 to 2024-12-31; HB a head through 2024; person 3 a
	// commune post 2020–2022; person 9 a post in HC, which closed at the end of 2022.
	held := "national_id,position_code,commune_code,hamlet_code,start_date,end_date\n" +
		nidP(1) + ",bi_thu_chi_bo,,HA,2024-01-01,\n" +
		nidP(2) + ",truong_thon_to_truong,,HA,2024-01-01,2024-12-31\n" +
		nidP(7) + ",truong_ban_cong_tac_mat_tran,,HA,2024-03-01,\n" +
		nidP(6) + ",truong_thon_to_truong,,HB,2024-01-01,2024-12-31\n" +
		nidP(3) + ",van_phong_dang_uy,00100,,2020-01-01,2022-12-31\n" +
		nidP(9) + ",truong_ban_cong_tac_mat_tran,,HC,2020-01-01,2022-06-30\n"
	for _, f := range []struct{ kind, body string }{{"hamlets", hamlets}, {"cadres", people}, {"assignments", held}} {
		if j := importJob(t, e.upload(ed, "kind="+f.kind, []byte(f.body))); j.Status != "succeeded" {
			t.Fatalf("%s: %+v", f.kind, j)
		}
	}
	type row struct {
		person                              int
		position, commune, hamlet, from, to string
	}
	cases := []struct {
		name string
		row  row
		want string // the code of the first rule broken, "" for none
	}{
		// A post within its unit's life.
		{"a commune post before its unit's life", row{8, "van_phong_dang_uy", "00100", "", "1999-01-01", "1999-12-31"}, "outside_unit_life"},
		{"a hamlet post open after its hamlet closed", row{8, "bi_thu_chi_bo", "", "HC", "2021-01-01", ""}, "outside_unit_life"},
		{"a hamlet post before its hamlet", row{8, "bi_thu_chi_bo", "", "HC", "2019-06-01", "2020-06-30"}, "outside_unit_life"},
		{"a hamlet post within its hamlet's life", row{8, "bi_thu_chi_bo", "", "HC", "2021-01-01", "2022-12-31"}, ""},
		{"a held post extended past its hamlet's end", row{9, "truong_ban_cong_tac_mat_tran", "", "HC", "2020-01-01", "2023-06-30"}, "outside_unit_life"},
		// At most 3 paid posts in a hamlet at once.
		{"a fourth paid post", row{5, "bi_thu_chi_bo", "", "HA", "2024-06-01", ""}, "too_many_hamlet_posts"},
		{"a paid post before held ones that start as the 4th", row{5, "truong_ban_cong_tac_mat_tran", "", "HA", "2023-01-01", ""}, "too_many_hamlet_posts"},
		{"a third paid post once a held one has ended", row{5, "truong_thon_to_truong", "", "HA", "2025-01-01", ""}, ""},
		{"a paid post that ends before the third starts", row{5, "truong_thon_to_truong", "", "HA", "2023-01-01", "2023-12-31"}, ""},
		{"a held paid post listed again", row{2, "truong_thon_to_truong", "", "HA", "2024-01-01", "2024-12-31"}, ""},
		// Holders at once ≤ max_per_unit (one head per hamlet).
		{"a second head while the held one is in office", row{5, "truong_thon_to_truong", "", "HB", "2024-06-01", ""}, "too_many_holders"},
		{"a head whose period takes in the held one's start", row{5, "truong_thon_to_truong", "", "HB", "2023-01-01", ""}, "too_many_holders"},
		{"a head after the held one", row{5, "truong_thon_to_truong", "", "HB", "2025-01-01", ""}, ""},
		{"a head that ends before the held one starts", row{5, "truong_thon_to_truong", "", "HB", "2023-01-01", "2023-12-31"}, ""},
		{"the held head's period shortened", row{6, "truong_thon_to_truong", "", "HB", "2024-01-01", "2024-05-31"}, ""},
		// No overlapping periods of one post for one person.
		{"overlap with a held period", row{3, "van_phong_dang_uy", "00100", "", "2022-06-01", ""}, "overlap"},
		{"a held period that starts inside the new one", row{3, "van_phong_dang_uy", "00100", "", "2019-01-01", "2020-03-31"}, "overlap"},
		{"the day after a held period", row{3, "van_phong_dang_uy", "00100", "", "2023-01-01", ""}, ""},
		{"the same person in another post", row{3, "pho_chu_tich_mttq", "00100", "", "2020-06-01", ""}, ""},
		{"the held period itself, extended", row{3, "van_phong_dang_uy", "00100", "", "2020-01-01", "2023-06-30"}, ""},
	}
	const header = "national_id,position_code,commune_code,hamlet_code,start_date,end_date\n"
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := e.sub(t)
			r := c.row
			csv := header + fmt.Sprintf("%s,%s,%s,%s,%s,%s\n", nidP(r.person), r.position, r.commune, r.hamlet, r.from, r.to)
			for _, lang := range []string{"en", "vi"} {
				api := e.postRuleByAPI(ed, r.person, r.position, r.commune, r.hamlet, r.from, r.to, lang)
				j := importJob(t, e.upload(ed, "kind=assignments&mode=validate", []byte(csv), "Accept-Language", lang))
				imp := firstPostRule(j.Errors)
				if api.Code != c.want || imp.Code != c.want {
					t.Fatalf("%s: records API %+v, import %+v (all %+v), want %q on both", lang, api, imp, j.Errors, c.want)
				}
				if api.Pointer != pointerOf(imp.Column) || api.Message != imp.Message {
					t.Fatalf("%s: records API %+v, import %+v: field or message differ", lang, api, imp)
				}
				if api.Code != "" && msgcheck.DeveloperText(api.Message) != "" {
					t.Fatalf("%s: %q has developer text %q", lang, api.Message, msgcheck.DeveloperText(api.Message))
				}
			}
		})
	}
}

// pointerOf is the JSON pointer of an import's column.
func pointerOf(column string) string {
	if column == "" {
		return ""
	}
	return "/" + column
}

// firstPostRule is the error of an import's line that the records API would report: the first of the
// rules of posts, in the API's order, broken on line 2.
func firstPostRule(errs []importErrorResponse) importErrorResponse {
	for _, code := range postRuleOrder {
		for _, er := range errs {
			if er.Line == 2 && er.Code == code {
				return er
			}
		}
	}
	return importErrorResponse{}
}

// postRuleByAPI writes the post through the records API — PATCH when the person holds the post from the
// same day (the import's row updates it), else POST — in lang, returns the rule refused (the problem's
// only field; 409 for an overlap, else 422) or nothing, and leaves the register as it was.
func (e *env) postRuleByAPI(ed string, person int, position, commune, hamlet, from, to, lang string) problemField {
	t := e.t
	t.Helper()
	ctx := t.Context()
	var cadre string
	if err := e.admin.QueryRow(ctx, `SELECT id::text FROM cadres WHERE province_code = '01' AND national_id = $1`, nidP(person)).Scan(&cadre); err != nil {
		t.Fatal(err)
	}
	base := "/v1/provinces/01/cadres/" + cadre + "/assignments"
	body := map[string]any{"start_date": from, "end_date": nil}
	if to != "" {
		body["end_date"] = to
	}
	var heldID, heldEnd string
	var version int
	err := e.admin.QueryRow(ctx, `SELECT id::text, coalesce(end_date::text, ''), version FROM assignments
		WHERE province_code = '01' AND cadre_id = $1::uuid AND position_code = $2 AND start_date = $3::date`,
		cadre, position, from).Scan(&heldID, &heldEnd, &version)
	var r resp
	if err == nil {
		r = e.do("PATCH", base+"/"+heldID, ed, body, "If-Match", fmt.Sprintf(`"%d"`, version), "Accept-Language", lang)
	} else {
		body["position_code"] = position
		if commune != "" {
			body["commune_code"] = commune
		}
		if hamlet != "" {
			body["hamlet_code"] = hamlet
		}
		delete(body, "end_date")
		if to != "" {
			body["end_date"] = to
		}
		r = e.do("POST", base, ed, body, "Accept-Language", lang)
	}
	switch r.Status {
	case 200, 201:
		var a assignmentResponse
		r.json(t, &a)
		e.undoPost(heldID, heldEnd, version, a.ID)
		return problemField{}
	case 409, 422:
		p := r.problem(t)
		if len(p.Errors) != 1 || (r.Status == 409) != (p.Errors[0].Code == "overlap") {
			t.Fatalf("status %d, problem %+v", r.Status, p)
		}
		return p.Errors[0]
	}
	t.Fatalf("status %d: %s", r.Status, r.Body)
	return problemField{}
}

// undoPost puts the register back as it was before postRuleByAPI wrote: the held post's end and version,
// or no new post.
func (e *env) undoPost(heldID, heldEnd string, version int, id string) {
	ctx := e.t.Context()
	var err error
	if heldID != "" {
		_, err = e.admin.Exec(ctx, `UPDATE assignments SET end_date = nullif($2, '')::date, version = $3 WHERE id = $1::uuid`,
			heldID, heldEnd, version)
	} else {
		_, err = e.admin.Exec(ctx, `DELETE FROM assignments WHERE id = $1::uuid`, id)
	}
	if err != nil && !strings.Contains(err.Error(), "no rows") {
		e.t.Fatal(err)
	}
}
