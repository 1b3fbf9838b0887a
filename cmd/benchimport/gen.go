package main

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"os"
)

// Synthetic, valid files for every import kind. One size n gives a consistent province: communes (at
// most maxCommunes: commune codes have five digits), n hamlets spread over them, n people, and n posts
// held by those people in those hamlets and communes.

// maxCommunes is how many communes one province can hold (five-digit codes 00001–99999).
const maxCommunes = 99999

// communeRows is how many communes the bench imports for a size: n, scaled down with the same factor at
// every size when the largest size does not fit in five-digit codes (so the growth ratio still compares
// files of the same proportions).
func communeRows(n, largest int) int {
	if largest <= maxCommunes {
		return n
	}
	return int(int64(n) * maxCommunes / int64(largest))
}

// writeCSV creates path and fills it with header and the lines from body.
func writeCSV(path, header string, body func(w *bufio.Writer)) (int64, error) {
	f, err := os.Create(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	w := bufio.NewWriterSize(f, 1<<20)
	fmt.Fprintln(w, header)
	body(w)
	if err := w.Flush(); err != nil {
		return 0, err
	}
	st, err := f.Stat()
	if err != nil {
		return 0, err
	}
	return st.Size(), nil
}

// genCommunes writes n communes 00001… in force since 2018 (their posts lie within their life); every tenth was merged into the next one on 2025-07-01 (it has an
// effective_to and a successor further down the file).
func genCommunes(path string, n int) (int64, error) {
	return writeCSV(path, "code,name,kind,class,population,area_km2,effective_from,effective_to,successor_code", func(w *bufio.Writer) {
		r := rand.New(rand.NewPCG(3, 4))
		for i := 1; i <= n; i++ {
			kind := []string{"xa", "phuong", "thi_tran"}[r.IntN(3)]
			if i%10 == 0 && i < n {
				fmt.Fprintf(w, "%05d,Xã Số %d,%s,%d,%d,%d.%02d,2020-01-01,2025-06-30,%05d\n", i, i, kind, 1+r.IntN(3), 2000+r.IntN(90000),
					1+r.IntN(300), r.IntN(100), i+1)
				continue
			}
			fmt.Fprintf(w, "%05d,Xã Số %d,%s,%d,%d,%d.%02d,2018-01-01,,\n", i, i, kind, 1+r.IntN(3), 2000+r.IntN(90000), 1+r.IntN(300), r.IntN(100))
		}
	})
}

// hamletCode is the code of hamlet i (0-based) of a province with nc communes.
func hamletCode(i, nc int) string { return fmt.Sprintf("%05d-%d", 1+i%nc, i/nc+1) }

// genHamlets writes n hamlets over nc communes; every twentieth was merged into the next one. A hamlet
// lives inside its commune's life: those of a merged commune were carried into its successor (the next
// commune, in force since 2018).
func genHamlets(path string, n, nc int) (int64, error) {
	return writeCSV(path, "code,commune_code,name,kind,households,effective_from,effective_to,successor_code", func(w *bufio.Writer) {
		r := rand.New(rand.NewPCG(5, 6))
		for i := 0; i < n; i++ {
			kind := []string{"thon", "to_dan_pho"}[r.IntN(2)]
			commune := 1 + i%nc
			if commune%10 == 0 && commune < nc {
				commune++
			}
			if i%20 == 0 && i+1 < n {
				fmt.Fprintf(w, "%s,%05d,Thôn %d,%s,%d,2020-01-01,2025-06-30,%s\n", hamletCode(i, nc), commune, i, kind, 50+r.IntN(900), hamletCode(i+1, nc))
				continue
			}
			fmt.Fprintf(w, "%s,%05d,Thôn %d,%s,%d,2018-01-01,,\n", hamletCode(i, nc), commune, i, kind, 50+r.IntN(900))
		}
	})
}

// nationalID is person i's national ID for gender and birth year (the format checkNationalID accepts).
func nationalID(i int, female bool, year int) string {
	digit := 0
	if year >= 2000 {
		digit = 2
	}
	if female {
		digit++
	}
	return fmt.Sprintf("001%d%02d%06d", digit, year%100, i)
}

// person is the gender and birth year of person i (the same in the people and the posts file).
func person(i int) (female bool, year int) {
	r := rand.New(rand.NewPCG(uint64(i), 7))
	return r.IntN(2) == 1, 1960 + r.IntN(40)
}

// genCadres writes n people with national IDs consistent with gender and birth year.
func genCadres(path string, n int) (int64, error) {
	families := []string{"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Vũ", "Đặng", "Bùi", "Đỗ"}
	givens := []string{"An", "Bình", "Cường", "Dũng", "Hà", "Hương", "Lan", "Minh", "Nam", "Thảo"}
	return writeCSV(path, "national_id,full_name,gender,birth_date,si_months", func(w *bufio.Writer) {
		r := rand.New(rand.NewPCG(1, 2))
		for i := 0; i < n; i++ {
			female, year := person(i)
			gender, middle := "male", "Văn"
			if female {
				gender, middle = "female", "Thị"
			}
			fmt.Fprintf(w, "%s,%s %s %s,%s,%d-%02d-%02d,%d\n", nationalID(i, female, year), families[r.IntN(len(families))], middle,
				givens[r.IntN(len(givens))], gender, year, 1+r.IntN(12), 1+r.IntN(28), r.IntN(400))
		}
	})
}

// genAssignments writes n posts in groups of five, one group per hamlet (of nh) and four people: the
// hamlet's three paid posts in force (one held by someone who held the same post before: two periods
// that must not overlap) and a commune post. Every hamlet ends with exactly 3 paid posts in force, the
// most Decree 33/2023 allows.
func genAssignments(path string, n, nh, nc int) (int64, error) {
	return writeCSV(path, "national_id,position_code,commune_code,hamlet_code,start_date,end_date", func(w *bufio.Writer) {
		for i := 0; i < n; i++ {
			g, k := i/5, i%5
			h := hamletCode(inForce(g, 20, nh), nc)
			p := 4 * g
			switch k {
			case 0:
				fmt.Fprintf(w, "%s,bi_thu_chi_bo,,%s,2024-01-01,\n", nid(p), h)
			case 1:
				fmt.Fprintf(w, "%s,truong_thon_to_truong,,%s,2019-01-01,2023-12-31\n", nid(p+1), h)
			case 2:
				fmt.Fprintf(w, "%s,truong_thon_to_truong,,%s,2024-01-01,\n", nid(p+1), h)
			case 3:
				fmt.Fprintf(w, "%s,truong_ban_cong_tac_mat_tran,,%s,2024-01-01,\n", nid(p+2), h)
			case 4:
				fmt.Fprintf(w, "%s,pho_bi_thu_doan,%05d,,2024-01-01,\n", nid(p+3), inForce(g, 10, nc))
			}
		}
	})
}

// inForce is the index of the g-th unit that was not merged (wrapping below n): genCommunes merges every
// tenth commune (codes from 1) and genHamlets every twentieth hamlet (indexes from 0).
func inForce(g, every, n int) int {
	per := every - 1
	j := (g/per)*every + 1 + g%per
	if j >= n {
		j = 1 + g%(n-2)
		if j%every == 0 {
			j++
		}
	}
	return j
}

func nid(i int) string {
	female, year := person(i)
	return nationalID(i, female, year)
}
