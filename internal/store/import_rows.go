package store

import (
	"fmt"
	"reflect"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"
)

// Typed staging rows (issue 15 point 4). The HTTP layer turns each valid line of an import's file into
// one of these; each field's tag names its staging column and SQL type, and the kind's ImportSpec takes
// its StageDDL and StageCols from the same tags (stageTableOf), so that a column added to a row type is
// in the table, the COPY and the values at once. A new column goes at the end of its row type.

// StageRow is one valid row of an import, typed by its kind: *CommuneStageRow, *HamletStageRow,
// *CadreStageRow, *AssignmentStageRow or *SheetStageRow.
type StageRow interface {
	stage() *stageTable
}

// CommuneStageRow is a row of the communes import.
type CommuneStageRow struct {
	Code                string           `stage:"code text"`
	Name                string           `stage:"name text"`
	Kind                string           `stage:"kind text"`
	Class               int              `stage:"class smallint"`
	Population          *int             `stage:"population int"`
	AreaKm2             *decimal.Decimal `stage:"area_km2 numeric"`
	KeySecurityOrder    bool             `stage:"key_security_order bool"`
	Border              bool             `stage:"border bool"`
	Island              bool             `stage:"island bool"`
	EffectiveFrom       time.Time        `stage:"effective_from date"`
	EffectiveTo         *time.Time       `stage:"effective_to date"`
	SuccessorCode       *string          `stage:"successor_code text"`
	Mountainous         bool             `stage:"mountainous bool"`
	WardOfUrbanDistrict bool             `stage:"ward_of_urban_district bool"`
	// OldProvinceCode is the unit's pre-2025 province; empty (or no column) keeps the register's
	// (keepOldProvinceCodes).
	OldProvinceCode *string `stage:"old_province_code text"`
}

// HamletStageRow is a row of the hamlets import.
type HamletStageRow struct {
	Code              string     `stage:"code text"`
	CommuneCode       string     `stage:"commune_code text"`
	Name              string     `stage:"name text"`
	Kind              string     `stage:"kind text"`
	Households        int        `stage:"households int"`
	KeySecurityOrder  bool       `stage:"key_security_order bool"`
	BorderOrIsland    *bool      `stage:"border_or_island bool"`
	ConvertedFromThon bool       `stage:"converted_from_thon bool"`
	EffectiveFrom     time.Time  `stage:"effective_from date"`
	EffectiveTo       *time.Time `stage:"effective_to date"`
	SuccessorCode     *string    `stage:"successor_code text"`
}

// CadreStageRow is a row of the people import.
type CadreStageRow struct {
	NationalID            string     `stage:"national_id text"`
	FullName              string     `stage:"full_name text"`
	Gender                string     `stage:"gender text"`
	BirthDate             time.Time  `stage:"birth_date date"`
	SIMonths              int        `stage:"si_months int"`
	Status                string     `stage:"status text"`
	LeftOn                *time.Time `stage:"left_on date"`
	SITotalMonths         *int       `stage:"si_total_months int"`
	SIUncompensatedMonths *int       `stage:"si_uncompensated_months int"`
	Decree29Paid          *bool      `stage:"decree29_paid bool"`
	Decree29PaidOn        *time.Time `stage:"decree29_paid_on date"`
	MergedUnitSurplus     bool       `stage:"merged_unit_surplus bool"`
	// ActiveFrom dates a return to work (issue 11 item 2); empty takes the register's (cadreReturnRows).
	ActiveFrom *time.Time `stage:"active_from date"`
}

// AssignmentStageRow is a row of the posts import.
type AssignmentStageRow struct {
	NationalID        string           `stage:"national_id text"`
	PositionCode      string           `stage:"position_code text"`
	CommuneCode       *string          `stage:"commune_code text"`
	HamletCode        *string          `stage:"hamlet_code text"`
	StartDate         time.Time        `stage:"start_date date"`
	EndDate           *time.Time       `stage:"end_date date"`
	Concurrent        bool             `stage:"concurrent bool"`
	Elected           *bool            `stage:"elected bool"`
	TermEnd           *time.Time       `stage:"term_end date"`
	AllowanceOverride *decimal.Decimal `stage:"allowance_override numeric"`
}

// SheetStageRow is a row of the combined sheet (import_sheet.go): the person, the post, or both, of one
// national ID. Staged as national_id, has_person and the person's other columns, has_post and the post's
// other columns (a part left out is NULL in each of its columns); the parts' own NationalID is not
// staged, the row's is.
type SheetStageRow struct {
	NationalID string              `stage:"national_id text"`
	Person     *CadreStageRow      `stage:"has_person bool"`
	Post       *AssignmentStageRow `stage:"has_post bool"`
}

// The staging tables of the kinds, read from the row types.
var (
	communeStage    = stageTableOf[CommuneStageRow]()
	hamletStage     = stageTableOf[HamletStageRow]()
	cadreStage      = stageTableOf[CadreStageRow]()
	assignmentStage = stageTableOf[AssignmentStageRow]()
	sheetStage      = stageTableOf[SheetStageRow](cadreStage, assignmentStage)
)

func (*CommuneStageRow) stage() *stageTable    { return communeStage }
func (*HamletStageRow) stage() *stageTable     { return hamletStage }
func (*CadreStageRow) stage() *stageTable      { return cadreStage }
func (*AssignmentStageRow) stage() *stageTable { return assignmentStage }
func (*SheetStageRow) stage() *stageTable      { return sheetStage }

// StageSource yields the valid rows of an import's file, each with its line.
type StageSource interface {
	Next() bool
	Row() (line int, row StageRow)
	Err() error
}

// StageCopySource is the COPY source of an import of spec (ImportWork.Rows): the values of src's rows in
// the order of spec.StageCols. A row of another kind fails the COPY.
func StageCopySource(spec ImportSpec, src StageSource) pgx.CopyFromSource {
	return &stageCopy{spec: spec, src: src}
}

type stageCopy struct {
	spec ImportSpec
	src  StageSource
	cur  []any
	err  error
}

func (c *stageCopy) Next() bool {
	if c.err != nil || !c.src.Next() {
		return false
	}
	line, row := c.src.Row()
	c.cur, c.err = stageValues(c.spec, line, row)
	return c.err == nil
}

func (c *stageCopy) Values() ([]any, error) { return c.cur, nil }

func (c *stageCopy) Err() error {
	if c.err != nil {
		return c.err
	}
	return c.src.Err()
}

// stageValues is a row's values in the order of spec.StageCols, led by its line.
func stageValues(spec ImportSpec, line int, row StageRow) ([]any, error) {
	st := row.stage()
	if len(spec.StageCols) == 0 || len(st.cols) != len(spec.StageCols) || &st.cols[0] != &spec.StageCols[0] {
		return nil, fmt.Errorf("a %T is not a row of the %s import", row, spec.Entity)
	}
	v := reflect.ValueOf(row)
	if v.IsNil() {
		return nil, fmt.Errorf("a nil %T in the %s import", row, spec.Entity)
	}
	return st.values(append(make([]any, 0, len(st.cols)), line), v.Elem(), nil), nil
}
