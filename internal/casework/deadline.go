package casework

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"gongjian/internal/audit"
	"gongjian/internal/date"
	"gongjian/internal/notify"
	"gongjian/internal/store"
)

// DeadlineResult counts what one deadline check did.
type DeadlineResult struct {
	Warned    int `json:"warned" doc:"临期预警的督办件数"`
	Overdue   int `json:"overdue" doc:"新逾期的督办件数"`
	Escalated int `json:"escalated" doc:"升级到责任领导的督办件数"`
}

// CheckDeadlines is the time-limit job, run by the notify runner's pass (or
// any scheduler) under its lease. As of the service's clock it warns the
// units of open cases due within the warning days; marks cases past their
// deadline overdue and escalates each to the responsible leader: the leader of
// the linked item, else the leader who leads most items of the lead unit. It
// tells the units and the leader's unit in-app (and the campaign's webhooks).
// Every warning and escalation is keyed, so running it again does nothing new.
func (s *Service) CheckDeadlines(ctx context.Context) (DeadlineResult, error) {
	var res DeadlineResult
	now := s.now()
	today := date.Of(now)
	horizon := date.Of(today.Time().AddDate(0, 0, s.warnDays))
	cs, err := s.query(ctx, s.db.Read(), caseSelect+` WHERE c.state IN ('open', 'in_progress') AND c.deadline <= ? ORDER BY c.id`, []any{horizon})
	if err != nil {
		return res, err
	}
	for _, c := range cs {
		err := s.db.Tx(ctx, func(q store.Querier) error {
			if !c.Overdue {
				created := false
				for _, t := range c.Tasks {
					if t.State == TaskAnswered {
						continue
					}
					_, ok, err := postKeyed(ctx, q, c, t.UnitID, "case_due",
						fmt.Sprintf("督办件将于 %s 到期：%s", c.Deadline.Chinese(), c.Title), fmt.Sprintf("case_due:%d:%d:%s", c.ID, t.UnitID, c.Deadline), now)
					if err != nil {
						return err
					}
					created = created || ok
				}
				if created {
					res.Warned++
					return s.writeEvent(ctx, q, event{caseID: c.ID, action: "warn", at: now, actor: "system", skipActorFromCtx: true,
						note: fmt.Sprintf("距办理期限 %s 还有 %d 天", c.Deadline.Chinese(), c.DaysLeft)})
				}
				return nil
			}
			first := false
			for _, t := range c.Tasks {
				if t.State == TaskAnswered {
					continue
				}
				_, ok, err := postKeyed(ctx, q, c, t.UnitID, "case_overdue",
					fmt.Sprintf("督办件已逾期（期限 %s）：%s", c.Deadline.Chinese(), c.Title), fmt.Sprintf("case_overdue:%d:%d:%s", c.ID, t.UnitID, c.Deadline), now)
				if err != nil {
					return err
				}
				first = first || ok
			}
			if first {
				res.Overdue++
				if err := s.writeEvent(ctx, q, event{caseID: c.ID, action: "overdue", at: now, actor: "system", skipActorFromCtx: true,
					note: fmt.Sprintf("已超过办理期限 %s", c.Deadline.Chinese())}); err != nil {
					return err
				}
			}
			if c.EscalatedTo != nil {
				return nil
			}
			leader, unit, name, err := responsibleLeader(ctx, q, c)
			if err != nil || leader == 0 {
				return err
			}
			r, err := q.Exec(ctx, `UPDATE cases SET escalated_to = ?, escalated_at = ?, version = version + 1, updated_at = ?
				WHERE id = ? AND escalated_to IS NULL`, leader, now.UTC(), now.UTC(), c.ID)
			if err != nil {
				return fmt.Errorf("escalate case: %w", err)
			}
			if n, _ := r.RowsAffected(); n == 0 {
				return nil // another process got there first
			}
			res.Escalated++
			if err := s.writeEvent(ctx, q, event{caseID: c.ID, action: "escalate", at: now, actor: "system", skipActorFromCtx: true,
				note: fmt.Sprintf("逾期未办结，升级至责任领导%s", name)}); err != nil {
				return err
			}
			if unit != 0 {
				// Meant for the leader: the e-mail channel writes to him or her alone.
				m := caseMessage(c, unit, "case_escalated", fmt.Sprintf("逾期督办件升级至%s：%s", name, c.Title), fmt.Sprintf("case_escalated:%d:%d", c.ID, leader), now)
				m.PersonID = &leader
				if _, _, err := notify.Post(ctx, q, m); err != nil {
					return err
				}
			}
			return audit.Write(ctx, q, audit.Entry{Action: "escalate", Entity: "case", EntityID: c.ID,
				After: map[string]any{"escalated_to": leader, "leader": name, "deadline": c.Deadline}})
		})
		if err != nil {
			return res, err
		}
	}
	return res, nil
}

func postKeyed(ctx context.Context, q store.Querier, c Case, unitID int64, kind, title, key string, now time.Time) (int64, bool, error) {
	return notify.Post(ctx, q, caseMessage(c, unitID, kind, title, key, now))
}

func caseMessage(c Case, unitID int64, kind, title, key string, now time.Time) notify.Message {
	return notify.Message{UnitID: unitID, CampaignID: c.CampaignID, ItemID: c.ItemID, Kind: kind,
		Title: title, Body: c.Code + " " + c.Title, Link: fmt.Sprintf("/cases/%d", c.ID), DedupeKey: key, At: now}
}

// responsibleLeader is the person an overdue case escalates to, with his or
// her unit and name: the item's leader, else the leader of most items led by
// the case's first assigned unit.
func responsibleLeader(ctx context.Context, q store.Querier, c Case) (int64, int64, string, error) {
	var id int64
	var unit sql.NullInt64
	var name string
	var err error
	if c.ItemID != nil {
		err = q.QueryRow(ctx, `SELECT p.id, p.unit_id, p.name FROM items i JOIN persons p ON p.id = i.leader_id WHERE i.id = ?`, *c.ItemID).Scan(&id, &unit, &name)
	} else if len(c.Tasks) > 0 {
		err = q.QueryRow(ctx, `SELECT p.id, p.unit_id, p.name FROM items i JOIN persons p ON p.id = i.leader_id WHERE i.lead_unit_id = ?
			GROUP BY p.id, p.unit_id, p.name ORDER BY COUNT(*) DESC, p.id LIMIT 1`, c.Tasks[0].UnitID).Scan(&id, &unit, &name)
	} else {
		return 0, 0, "", nil
	}
	if store.IsNoRows(err) {
		return 0, 0, "", nil
	}
	if err != nil {
		return 0, 0, "", fmt.Errorf("responsible leader: %w", err)
	}
	return id, unit.Int64, name, nil
}
