package enterprise

import (
	"context"
	"fmt"
	"time"

	"gongjian/internal/audit"
	"gongjian/internal/date"
	"gongjian/internal/errs"
	"gongjian/internal/store"
)

// SeedData is a whole set of records written at once, for the demo and for
// bulk loads: people and units are named by code, enterprises by credit code.
type SeedData struct {
	Enterprises []SeedEnterprise
	Visits      []SeedVisit
	Needs       []SeedNeed
	Leads       []SeedLead
}

// SeedEnterprise is an enterprise of a seed.
type SeedEnterprise struct {
	CreditCode, Name, Industry, Street, Address string
	CapitalWan                                  float64
	WhiteList, AboveScale                       bool
	Top500                                      string
	CommissionerCode, AdvisorCode               string
	Illustrative                                bool
	Note                                        string
}

// SeedVisit is a visit of a seed; (CreditCode, Date, VisitorCode) is unique.
type SeedVisit struct {
	CreditCode, VisitorCode, Notes string
	Date                           date.Date
	Problems                       []SeedProblem
	Illustrative                   bool
}

// SeedProblem is a problem raised on a seed visit; SolvedOn zero is open.
type SeedProblem struct {
	Title, Description string
	SolvedOn           date.Date
}

// SeedNeed is a financing need of a seed.
type SeedNeed struct {
	CreditCode, Purpose, Bank, State, AdvisorCode, DeclineReason string
	RequestedWan, GrantedWan                                     float64
	RequestedOn, MatchedOn, DecidedOn                            date.Date
	Illustrative                                                 bool
}

// SeedLead is an investment lead of a seed with its stage dates; ItemCode
// links a key project that already exists in CampaignID.
type SeedLead struct {
	Code, Investor, Project, Sector, Source, OwnerUnitCode string
	AmountWan                                              float64
	Top500                                                 bool
	Stage                                                  string
	Dates                                                  [5]date.Date // negotiating … operating
	DroppedOn                                              date.Date
	DroppedFrom, DropReason                                string
	EnterpriseCode                                         string // credit code
	ItemCode                                               string
	Illustrative                                           bool
	Note                                                   string
}

// SeedResult counts what Seed wrote.
type SeedResult struct {
	Enterprises, Visits, Problems, Needs, Leads int
}

// Seed writes d in one transaction with set-based inserts and one audit
// record per table. It is idempotent: when the first enterprise's credit code
// exists nothing is written. campaignID resolves the leads' item codes.
func (s *Service) Seed(ctx context.Context, campaignID int64, d SeedData) (SeedResult, error) {
	var res SeedResult
	if len(d.Enterprises) == 0 {
		return res, nil
	}
	err := s.db.Tx(ctx, func(q store.Querier) error {
		if ok, err := exists(ctx, q, `SELECT COUNT(*) FROM enterprises WHERE credit_code = ?`, d.Enterprises[0].CreditCode); err != nil || ok {
			return err
		}
		persons, err := codeMap(ctx, q, `SELECT code, id FROM persons`)
		if err != nil {
			return err
		}
		units, err := codeMap(ctx, q, `SELECT code, id FROM units`)
		if err != nil {
			return err
		}
		items, err := codeMap(ctx, q, `SELECT code, id FROM items WHERE campaign_id = ?`, campaignID)
		if err != nil {
			return err
		}
		ref := func(m map[string]int64, what, code string) (any, error) {
			if code == "" {
				return nil, nil
			}
			id, ok := m[code]
			if !ok {
				return nil, errs.Invalid([]errs.FieldError{{Field: what, Key: "not_found", Message: fmt.Sprintf("%s %s 不存在", what, code), Value: code}})
			}
			return id, nil
		}
		now := time.Now().UTC()
		rows := make([][]any, 0, len(d.Enterprises))
		for _, e := range d.Enterprises {
			if msg := CheckCreditCode(e.CreditCode); msg != "" {
				return errs.Invalid([]errs.FieldError{{Field: "credit_code", Key: "credit_code.invalid", Message: e.Name + "：" + msg, Value: e.CreditCode}})
			}
			comm, err := ref(persons, "服务专员", e.CommissionerCode)
			if err != nil {
				return err
			}
			adv, err := ref(persons, "金融辅导员", e.AdvisorCode)
			if err != nil {
				return err
			}
			rows = append(rows, []any{e.CreditCode, e.Name, wanToYuan(e.CapitalWan), e.Industry, e.Street, e.Address, e.WhiteList, e.Top500,
				e.AboveScale, comm, adv, e.Illustrative, e.Note, now, now})
		}
		if err := bulkInsert(ctx, q, "enterprises", []string{"credit_code", "name", "registered_capital", "industry", "street", "address",
			"white_list", "top500", "above_scale", "commissioner_id", "finance_advisor_id", "illustrative", "note", "created_at", "updated_at"}, rows); err != nil {
			return err
		}
		ents, err := codeMap(ctx, q, `SELECT credit_code, id FROM enterprises`)
		if err != nil {
			return err
		}

		rows = rows[:0]
		for _, v := range d.Visits {
			visitor, err := ref(persons, "走访人", v.VisitorCode)
			if err != nil {
				return err
			}
			ent, err := ref(ents, "企业", v.CreditCode)
			if err != nil {
				return err
			}
			rows = append(rows, []any{ent, v.Date, visitor, v.Notes, v.Illustrative, now, now})
		}
		if err := bulkInsert(ctx, q, "enterprise_visits", []string{"enterprise_id", "visit_date", "visitor_id", "notes", "illustrative",
			"created_at", "updated_at"}, rows); err != nil {
			return err
		}
		visitIDs := map[string]int64{}
		vr, err := q.Query(ctx, `SELECT v.id, e.credit_code, v.visit_date, p.code FROM enterprise_visits v
			JOIN enterprises e ON e.id = v.enterprise_id JOIN persons p ON p.id = v.visitor_id`)
		if err != nil {
			return fmt.Errorf("seed visit ids: %w", err)
		}
		for vr.Next() {
			var id int64
			var code, pc string
			var day date.Date
			if err := vr.Scan(&id, &code, &day, &pc); err != nil {
				vr.Close()
				return err
			}
			visitIDs[code+"|"+day.String()+"|"+pc] = id
		}
		vr.Close()
		rows = rows[:0]
		for _, v := range d.Visits {
			id := visitIDs[v.CreditCode+"|"+v.Date.String()+"|"+v.VisitorCode]
			for _, p := range v.Problems {
				rows = append(rows, []any{id, ents[v.CreditCode], p.Title, p.Description, p.SolvedOn, now})
			}
		}
		res.Problems = len(rows)
		if err := bulkInsert(ctx, q, "visit_problems", []string{"visit_id", "enterprise_id", "title", "description", "solved_on", "created_at"}, rows); err != nil {
			return err
		}

		rows = rows[:0]
		for _, n := range d.Needs {
			ent, err := ref(ents, "企业", n.CreditCode)
			if err != nil {
				return err
			}
			adv, err := ref(persons, "金融辅导员", n.AdvisorCode)
			if err != nil {
				return err
			}
			rows = append(rows, []any{ent, wanToYuan(n.RequestedWan), n.Purpose, n.Bank, n.State, wanToYuan(n.GrantedWan), adv,
				n.RequestedOn, n.MatchedOn, n.DecidedOn, n.DeclineReason, n.Illustrative, now, now})
		}
		if err := bulkInsert(ctx, q, "financing_needs", []string{"enterprise_id", "amount_requested", "purpose", "bank", "state", "amount_granted",
			"advisor_id", "requested_on", "matched_on", "decided_on", "decline_reason", "illustrative", "created_at", "updated_at"}, rows); err != nil {
			return err
		}

		rows = rows[:0]
		for _, l := range d.Leads {
			unit, err := ref(units, "责任单位", l.OwnerUnitCode)
			if err != nil {
				return err
			}
			ent, err := ref(ents, "企业", l.EnterpriseCode)
			if err != nil {
				return err
			}
			item, err := ref(items, "事项", l.ItemCode)
			if err != nil {
				return err
			}
			stageOn := l.DroppedOn
			if l.Stage != "dropped" {
				for _, dt := range l.Dates {
					if !dt.IsZero() {
						stageOn = dt
					}
				}
			}
			rows = append(rows, []any{l.Code, l.Investor, l.Project, l.Sector, wanToYuan(l.AmountWan), l.Source, unit, l.Top500, l.Stage,
				l.Dates[0], l.Dates[1], l.Dates[2], l.Dates[3], l.Dates[4], l.DroppedOn, l.DroppedFrom, l.DropReason, stageOn, ent, item,
				l.Illustrative, l.Note, now, now})
		}
		if err := bulkInsert(ctx, q, "investment_leads", []string{"code", "investor", "project", "sector", "amount", "source", "owner_unit_id",
			"top500", "stage", "negotiating_on", "signed_on", "registered_on", "started_on", "operating_on", "dropped_on", "dropped_from",
			"drop_reason", "stage_on", "enterprise_id", "item_id", "illustrative", "note", "created_at", "updated_at"}, rows); err != nil {
			return err
		}
		res = SeedResult{Enterprises: len(d.Enterprises), Visits: len(d.Visits), Problems: res.Problems, Needs: len(d.Needs), Leads: len(d.Leads)}
		return audit.Write(ctx, q, audit.Entry{Action: "import", Entity: "enterprise", After: res})
	})
	if err != nil {
		return SeedResult{}, err
	}
	return res, nil
}

func codeMap(ctx context.Context, q store.Querier, query string, args ...any) (map[string]int64, error) {
	rows, err := q.Query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("codes: %w", err)
	}
	defer rows.Close()
	m := map[string]int64{}
	for rows.Next() {
		var code string
		var id int64
		if err := rows.Scan(&code, &id); err != nil {
			return nil, err
		}
		m[code] = id
	}
	return m, rows.Err()
}

// UnlinkedProblem is a visit's problem that has no case yet.
type UnlinkedProblem struct {
	ID, VisitID, EnterpriseID, VisitorID int64
	Title, Description, EnterpriseName   string
	VisitDate, SolvedOn                  date.Date
}

// UnlinkedProblems lists the problems without a case, for turning them into cases in bulk.
func (s *Service) UnlinkedProblems(ctx context.Context) ([]UnlinkedProblem, error) {
	rows, err := s.db.Read().Query(ctx, `SELECT vp.id, vp.visit_id, vp.enterprise_id, v.visitor_id, vp.title, vp.description, e.name, v.visit_date, vp.solved_on
		FROM visit_problems vp JOIN enterprise_visits v ON v.id = vp.visit_id JOIN enterprises e ON e.id = vp.enterprise_id
		WHERE vp.case_id IS NULL ORDER BY vp.id`)
	if err != nil {
		return nil, fmt.Errorf("unlinked problems: %w", err)
	}
	defer rows.Close()
	var out []UnlinkedProblem
	for rows.Next() {
		var p UnlinkedProblem
		if err := rows.Scan(&p.ID, &p.VisitID, &p.EnterpriseID, &p.VisitorID, &p.Title, &p.Description, &p.EnterpriseName, &p.VisitDate, &p.SolvedOn); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// LinkCases links every problem without a case to the case raised from its
// visit with the same title, in one statement; it returns how many it linked.
func (s *Service) LinkCases(ctx context.Context) (int, error) {
	var n int64
	err := s.db.Tx(ctx, func(q store.Querier) error {
		r, err := q.Exec(ctx, `UPDATE visit_problems SET case_id = (SELECT MIN(c.id) FROM cases c
			WHERE c.source_kind = 'visit' AND c.source_id = visit_problems.visit_id AND c.title = visit_problems.title)
			WHERE case_id IS NULL AND EXISTS (SELECT 1 FROM cases c WHERE c.source_kind = 'visit' AND c.source_id = visit_problems.visit_id
			AND c.title = visit_problems.title)`)
		if err != nil {
			return fmt.Errorf("link cases: %w", err)
		}
		n, _ = r.RowsAffected()
		if n == 0 {
			return nil
		}
		return audit.Write(ctx, q, audit.Entry{Action: "link_cases", Entity: "visit_problem", After: map[string]any{"linked": n}})
	})
	return int(n), err
}
