package api

import (
	"os"
	"strings"
	"testing"
)

// Excel's plain "CSV" on a Vietnamese Windows is Windows-1258 (a sample made by iconv): converted and
// imported with every name intact. TCVN3 (iconv) and VNI (hand-made) are still refused, named rightly.
func TestImportLegacyEncodingsFromRealSamples(t *testing.T) {
	t.Parallel()
	e, ed := importEnv(t)
	read := func(name string) []byte {
		b, err := os.ReadFile("testdata/excel/" + name)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	r := e.upload(ed, "kind=cadres", read("cadres-windows1258.csv"))
	mustStatus(t, r, 201)
	if j := importJob(t, r); j.Status != "succeeded" || j.RowsInserted != 3 {
		t.Fatalf("Windows-1258 %+v", j)
	}
	var names []string
	rows, err := e.admin.Query(t.Context(), `SELECT full_name FROM cadres WHERE province_code = '01' ORDER BY national_id`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var n string
		_ = rows.Scan(&n)
		names = append(names, n)
	}
	if strings.Join(names, "|") != "Nguyễn Văn Đức|Trần Thị Hương Giang|Lê Hoàng Quốc Việt" {
		t.Fatalf("names %q", names)
	}
	for file, want := range map[string]string{"cadres-tcvn3.csv": "TCVN3", "cadres-vni.csv": "VNI"} {
		j := importJob(t, e.upload(ed, "kind=cadres", read(file), "Accept-Language", "vi"))
		if j.Status != "failed" || j.Errors[0].Code != "encoding_legacy" || !strings.Contains(j.Errors[0].Message, want) ||
			!strings.Contains(j.Errors[0].Message, "Unikey") {
			t.Fatalf("%s: %+v", file, j)
		}
	}
}

// The values officers type: Vietnamese number formats in a `;` file, local names of hamlet kinds, có/x,
// every template header, posts by title, and a CCCD Excel turned into scientific notation explained.
func TestImportAcceptsOfficersValues(t *testing.T) {
	t.Parallel()
	e, ed := importEnv(t)
	communes := "Mã xã;Tên xã;Loại đơn vị;Phân loại;Dân số;Diện tích (km2);Trọng điểm an ninh trật tự;Ngày hiệu lực\r\n" +
		"00100;Xã Sóc Sơn;Xã;1;17.199;76,57;x;01/07/2025\r\n" +
		"00200;Phường Hà Đông;Phường;1;1.234.567;1.234,5;không;01/07/2025\r\n"
	j := importJob(t, e.upload(ed, "kind=communes", []byte(communes)))
	if j.Status != "succeeded" || j.RowsInserted != 2 {
		t.Fatalf("communes %+v", j)
	}
	var pop int
	var area, kso string
	if err := e.admin.QueryRow(t.Context(), `SELECT population, area_km2::text, key_security_order::text FROM communes WHERE code = '00100'`).Scan(&pop, &area, &kso); err != nil ||
		pop != 17199 || area != "76.57" || kso != "true" {
		t.Fatalf("commune 00100: %d %s %s %v", pop, area, kso, err)
	}
	// In a `,` file "17.199" is not read as seventeen thousand.
	j = importJob(t, e.upload(ed, "kind=communes&mode=validate", []byte("code,name,kind,class,population,effective_from\n00300,Xã Ba,xa,1,17.199,2025-07-01\n")))
	if j.Status != "failed" || j.Errors[0].Column != "population" {
		t.Fatalf("comma file %+v", j)
	}
	hamlets := "Mã thôn;Mã xã;Tên thôn, tổ dân phố;Loại;Số hộ gia đình;Trọng điểm an ninh trật tự;Ngày hiệu lực\r\n" +
		"00100-01;00100;Ấp Đông;Ấp;420;có;01/07/2025\r\n" +
		"00200-01;00200;Khu phố 1;Khu phố;1.050;;01/07/2025\r\n"
	if j = importJob(t, e.upload(ed, "kind=hamlets", []byte(hamlets))); j.Status != "succeeded" || j.RowsInserted != 2 {
		t.Fatalf("hamlets %+v", j)
	}
	var kinds string
	if err := e.admin.QueryRow(t.Context(), `SELECT string_agg(kind || ':' || households || ':' || key_security_order, ',' ORDER BY code) FROM hamlets`).Scan(&kinds); err != nil ||
		kinds != "thon:420:true,to_dan_pho:1050:false" {
		t.Fatalf("hamlets stored %q %v", kinds, err)
	}
	people := "Số CCCD;Họ và tên;Giới tính;Ngày sinh\r\n001085012345;Nguyễn Văn An;Nam;02/03/1985\r\n" +
		"2,22E+11;Trần Văn Bình;Nam;02/03/1985\r\n'001190000123;Lê Thị Hoa;Nữ;17/05/1990\r\n"
	j = importJob(t, e.upload(ed, "kind=cadres", []byte(people)))
	if j.Status != "failed" || len(j.Errors) != 1 || j.Errors[0].Line != 3 || j.Errors[0].Column != "Số CCCD" ||
		j.Errors[0].Code != "scientific_notation" || !strings.Contains(j.Errors[0].Message, "scientific notation") {
		t.Fatalf("scientific CCCD %+v", j)
	}
	people = strings.Replace(people, "2,22E+11;Trần Văn Bình;Nam;02/03/1985\r\n", "", 1)
	if j = importJob(t, e.upload(ed, "kind=cadres", []byte(people))); j.Status != "succeeded" || j.RowsInserted != 2 {
		t.Fatalf("cadres %+v", j)
	}
	posts := "Số CCCD;Chức danh;Mã xã;Mã thôn;Ngày bắt đầu;Kiêm nhiệm\r\n" +
		"001085012345;Trưởng thôn;;00100-01;01/08/2025;không\r\n" +
		"001190000123;PHO BI THU DOAN THANH NIEN CONG SAN HO CHI MINH;00100;;01/08/2025;\r\n" +
		"001190000123;trưởng khu phố;;00200-01;01/08/2025;x\r\n" +
		"001085012345;Chủ nhiệm hợp tác xã;00100;;01/08/2025;\r\n"
	j = importJob(t, e.upload(ed, "kind=assignments", []byte(posts)))
	if j.Status != "failed" || len(j.Errors) != 1 || j.Errors[0].Line != 5 || j.Errors[0].Column != "Chức danh" {
		t.Fatalf("posts %+v", j)
	}
	posts = strings.Replace(posts, "001085012345;Chủ nhiệm hợp tác xã;00100;;01/08/2025;\r\n", "", 1)
	if j = importJob(t, e.upload(ed, "kind=assignments", []byte(posts))); j.Status != "succeeded" || j.RowsInserted != 3 {
		t.Fatalf("posts %+v", j)
	}
	var codes string
	if err := e.admin.QueryRow(t.Context(), `SELECT string_agg(position_code, ',' ORDER BY position_code) FROM assignments`).Scan(&codes); err != nil ||
		codes != "pho_bi_thu_doan,truong_thon_to_truong,truong_thon_to_truong" {
		t.Fatalf("posts stored %q %v", codes, err)
	}
}

// Every header a template writes is accepted on upload, for every kind.
func TestTemplateHeadersAreAccepted(t *testing.T) {
	t.Parallel()
	for name, k := range importKinds {
		var header []string
		for _, c := range k.columns {
			h := templateHeader(name, c.name)
			if h == "" {
				t.Fatalf("%s.%s has no Vietnamese header", name, c.name)
			}
			header = append(header, h)
		}
		idx, errs := k.mapHeader(header)
		if len(errs) > 0 || len(idx) != len(k.columns) {
			t.Fatalf("%s: %v %v", name, idx, errs)
		}
	}
}

// errors.csv leaves numbers as numbers ("-5", not "'-5"), and a quote before a number ('250, as older
// errors files wrote and as Excel types a number as text) is removed on upload.
func TestErrorsFileNumbersUploadAgain(t *testing.T) {
	t.Parallel()
	e, ed := importEnv(t)
	j := importJob(t, e.upload(ed, "kind=cadres", []byte("national_id,full_name,gender,birth_date,si_months\n001085012345,Nguyễn Văn An,male,1985-03-02,-5\n")))
	if j.Status != "failed" || j.Errors[0].Column != "si_months" {
		t.Fatalf("negative months %+v", j)
	}
	r := e.do("GET", "/v1/provinces/01/imports/"+j.ID+"/errors.csv", ed, nil)
	mustStatus(t, r, 200)
	if body := string(r.Body); !strings.Contains(body, ",-5,") || strings.Contains(body, "'-5") {
		t.Fatalf("errors.csv %q", body)
	}
	j = importJob(t, e.upload(ed, "kind=cadres", []byte("national_id,full_name,gender,birth_date,si_months\n'001085012345,Nguyễn Văn An,male,1985-03-02,'250\n")))
	if j.Status != "succeeded" || j.RowsInserted != 1 {
		t.Fatalf("quoted numbers %+v", j)
	}
}

// A Vietnamese message names columns by their Vietnamese headers, never by API field names.
func TestImportMessagesNameNoAPIField(t *testing.T) {
	t.Parallel()
	e, ed := importEnv(t)
	importJob(t, e.upload(ed, "kind=communes", []byte(communesCSV)))
	importJob(t, e.upload(ed, "kind=cadres", []byte("national_id,full_name,gender,birth_date\n001085012345,Nguyễn Văn An,male,1985-03-02\n")))
	j := importJob(t, e.upload(ed, "kind=assignments", []byte("Số CCCD,Chức danh,Mã xã,Ngày bắt đầu\n001085012345,Trưởng thôn,00004,01/01/2024\n"), "Accept-Language", "vi"))
	if len(j.Errors) != 1 || j.Errors[0].Column != "Mã xã" || !strings.HasPrefix(j.Errors[0].Message, "Mã xã phải để trống") ||
		strings.Contains(j.Errors[0].Message, "commune_code") {
		t.Fatalf("errors %+v", j.Errors)
	}
}
