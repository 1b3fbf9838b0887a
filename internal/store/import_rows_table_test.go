package store

import (
	"fmt"
	"strings"
	"testing"
)

// A row type whose tags cannot make a staging table stops the package from loading, naming the field.
func TestStageTableRefusesBadTags(t *testing.T) {
	type noTag struct{ Code string }
	type wrongType struct {
		Households int `stage:"households text"`
	}
	type unknownType struct {
		Code string `stage:"code varchar"`
	}
	type twice struct {
		A string `stage:"code text"`
		B string `stage:"code text"`
	}
	type flag struct {
		Person *CadreStageRow `stage:"has_person text"`
	}
	for _, c := range []struct {
		name string
		read func()
		want string
	}{
		{"no tag", func() { stageTableOf[noTag]() }, `noTag.Code: want a tag stage:"name type"`},
		{"Go type", func() { stageTableOf[wrongType]() }, "wrongType.Households: a text column is given by string or *string, not int"},
		{"SQL type", func() { stageTableOf[unknownType]() }, `unknownType.Code: staging type "varchar"`},
		{"twice", func() { stageTableOf[twice]() }, "twice: staging column code named twice"},
		{"part flag", func() { stageTableOf[flag](cadreStage) }, "flag.Person: a part's flag is bool"},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := func() (msg string) {
				defer func() { msg = fmt.Sprint(recover()) }()
				c.read()
				return ""
			}()
			if !strings.Contains(got, c.want) {
				t.Fatalf("panic %q, want %q", got, c.want)
			}
		})
	}
}

// The combined sheet's table is the people's and the posts' without repeating the national ID they share.
func TestSheetStageSharesTheNationalID(t *testing.T) {
	want := append(append(append([]string{"line", "national_id", "has_person"}, cadreStage.cols[2:]...), "has_post"),
		assignmentStage.cols[2:]...)
	if got := strings.Join(sheetStage.cols, ","); got != strings.Join(want, ",") {
		t.Fatalf("sheet columns\n%s\nwant\n%s", got, strings.Join(want, ","))
	}
}
