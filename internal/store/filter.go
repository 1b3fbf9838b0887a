package store

import (
	"fmt"
	"strconv"
	"strings"
)

// listQuery builds the WHERE clause, the arguments and the page of a list query — the one builder of the
// register's lists (people, communes, hamlets, decisions, the audit log). Conditions are joined by AND
// and written with ? for their values: given one value, every ? of the condition is that value; given
// several, each ? takes the next in turn.
type listQuery struct {
	conds []string
	args  []any
}

// newListQuery starts a list with its scope, written with literal placeholders ("province_code = $1").
func newListQuery(scope string, args ...any) *listQuery {
	return &listQuery{conds: []string{scope}, args: args}
}

// newProvinceList starts a list scoped to one province with the code written into the statement when it
// is a province code (two digits; anything else is bound as $1). A first page then has no parameter
// at all, and PostgreSQL keeps its one plan instead of weighing a generic plan against the plan for
// the value and planning again at every request (GET …/communes: ~0.25 ms of planning per request under
// `make load` once the register held another province's units). Conditions added later must not use $1.
func newProvinceList(col, province string) *listQuery {
	if len(province) == 2 && province[0] >= '0' && province[0] <= '9' && province[1] >= '0' && province[1] <= '9' {
		return &listQuery{conds: []string{col + " = '" + province + "'"}}
	}
	return newListQuery(col+" = $1", province)
}

// add appends a condition and its values.
func (q *listQuery) add(cond string, vs ...any) {
	switch len(vs) {
	case 0:
	case 1:
		cond = strings.ReplaceAll(cond, "?", q.arg(vs[0]))
	default:
		for _, v := range vs {
			cond = strings.Replace(cond, "?", q.arg(v), 1)
		}
	}
	q.conds = append(q.conds, cond)
}

// arg appends a value and returns its placeholder ("$3"), for a value used outside the WHERE clause
// (a set-returning function's parameter).
func (q *listQuery) arg(v any) string {
	q.args = append(q.args, v)
	return fmt.Sprintf("$%d", len(q.args))
}

// where is the conditions joined by AND.
func (q *listQuery) where() string { return strings.Join(q.conds, " AND ") }

// pageCap is the capacity to collect a page of limit rows into: the page at once, not grown and copied
// row by row (a list's rows are large structs); bounded so that a huge limit allocates nothing up front.
func pageCap(limit int) int { return min(max(limit, 0), 200) }

// page is " ORDER BY orderBy LIMIT n", the limit written into the statement (an int, never text). As a
// parameter ($n) the planner costs a generic plan for an unknown limit (10 % of the rows), finds it far
// dearer than the plan for the actual one and plans the prepared statement again at every execution
// (GET …/cadres: 130–160 µs of planning per request under `make load`); with the limit in the text a
// page size is one cached statement whose generic plan is kept.
func (q *listQuery) page(orderBy string, limit int) string {
	return " ORDER BY " + orderBy + " LIMIT " + strconv.Itoa(limit)
}
