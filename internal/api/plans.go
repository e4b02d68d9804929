package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"gongjian/internal/access"
	"gongjian/internal/progress"
)

// TargetPlanInput replaces a target's explicit plan.
type TargetPlanInput struct {
	ID   int64 `path:"id" minimum:"1"`
	Body progress.PlanInput
}

// planRoutes are a target's explicit plan (计划曲线): read with the item,
// replaced by whoever may edit the item's targets.
func (s *Server) planRoutes() {
	p := s.deps.Progress
	tag := []string{"事项"}
	register(s, access.ItemRead, huma.Operation{OperationID: "get-target-plan", Method: http.MethodGet, Path: "/api/v1/targets/{id}/plan",
		Tags: tag, Summary: "目标的计划曲线", Description: "显式计划点（期末日期、计划累计值）；为空时按基期值到目标值的线性计划。"},
		func(ctx context.Context, in *IDInput) (*Body[progress.TargetPlan], error) {
			t, err := p.TargetPlan(ctx, in.ID)
			if err != nil {
				return nil, err
			}
			return &Body[progress.TargetPlan]{Body: t}, nil
		})
	register(s, access.ItemEdit, huma.Operation{OperationID: "set-target-plan", Method: http.MethodPut, Path: "/api/v1/targets/{id}/plan",
		Tags: tag, Summary: "设置目标的计划曲线",
		Description: "整体替换计划点（如建设项目投资的 S 曲线）；plan 为空恢复线性计划。日期在攻坚年内且递增，计划值单调（越高越好的目标不降）、不超过目标值。" +
			"原计划留存，按 as_of 查看过去日期时仍按当时的计划判断亮灯、序时进度和差距。"},
		func(ctx context.Context, in *TargetPlanInput) (*Body[progress.TargetPlan], error) {
			t, err := p.SetTargetPlan(ctx, in.ID, in.Body)
			if err != nil {
				return nil, err
			}
			return &Body[progress.TargetPlan]{Body: t}, nil
		})
}
