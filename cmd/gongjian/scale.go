package main

import (
	"context"
	"fmt"
	"time"

	"gongjian/internal/gen"
	"gongjian/internal/store"
)

// genScale writes a district, a city (15 districts) or a province (150) of
// issue 12's size: items with weekly reports, cases, ledgers, indicators and
// two accounts per district (`gongjian gen --scale district`). The item
// options given on the command line (items, weeks, seed …) size each district.
func genScale(ctx context.Context, env cliEnv, db *store.DB, scale string, base gen.Options) error {
	opt := gen.DefaultScaleOptions(scale)
	base.Prefix = ""
	opt.Base = base
	opt.Log = env.stdout
	if _, err := gen.Districts(scale); err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "按规模 %s 生成（%s）：每个区县 %d 个事项 × %d 周填报、%d 件督办件、%d 个台账 × %d 行；指标 %d × %d 地区 × %d 个月\n",
		scale, db.Engine(), base.Items, base.Weeks, opt.Cases, opt.Ledgers, opt.LedgerRows, gen.ScaleIndicators, opt.Regions, opt.Months)
	st, err := gen.GenerateScale(ctx, db, opt)
	if err != nil {
		return err
	}
	if !st.Indicators.Skipped {
		fmt.Fprintf(env.stdout, "  经济指标 %d 个、地区 %d 个、%s 至 %s 共 %d 个数值、目标 %d 个\n", st.Indicators.Indicators, st.Indicators.Regions,
			st.Indicators.FirstPeriod, st.Indicators.LastPeriod, st.Indicators.Values, st.Indicators.Targets)
	}
	for _, d := range st.Districts {
		if d.Supervisor != "" {
			fmt.Fprintf(env.stdout, "  账号 %s（督查室）、%s（牵头单位），密码 %s — 仅用于性能测试\n", d.Supervisor, d.Reporter, gen.ScalePassword)
			break
		}
	}
	fmt.Fprintf(env.stdout, "  共 %d 个区县、%d 行，用时 %s（%.0f 行/秒）\n", len(st.Districts), st.Rows(), st.Elapsed.Round(time.Millisecond),
		float64(st.Rows())/st.Elapsed.Seconds())
	return nil
}
