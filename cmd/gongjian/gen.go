package main

import (
	"context"
	"flag"
	"fmt"

	"gongjian/internal/gen"
)

// cmdGen generates a synthetic district of the asked size for benchmarks and
// load tests. It writes straight to the tables (see package gen), so the
// records do not appear in the audit trail; running it again adds another
// district next to the first.
func cmdGen(ctx context.Context, env cliEnv, args []string) error {
	opt := gen.DefaultOptions(2000)
	opt.Weeks = 52
	var seed uint64
	var scale string
	cfg, err := parseConfig(env, "gen", args, func(fs *flag.FlagSet) {
		fs.IntVar(&opt.Items, "items", opt.Items, "事项数（含子事项）")
		fs.IntVar(&opt.MilestonesPerItem, "milestones", opt.MilestonesPerItem, "每个事项的节点数")
		fs.IntVar(&opt.TargetsPerItem, "targets", opt.TargetsPerItem, "每个事项的目标数")
		fs.IntVar(&opt.Units, "units", gen.DefaultUnits, "单位数（含区委区政府）")
		fs.IntVar(&opt.Persons, "persons", gen.DefaultPersons, "人员数")
		fs.IntVar(&opt.Zones, "zones", gen.DefaultZones, "战区、园区和网格数（负数为不设战区）")
		fs.IntVar(&opt.Year, "year", gen.DefaultYear, "攻坚年年份")
		fs.IntVar(&opt.Weeks, "weeks", opt.Weeks, "每个事项生成多少周的填报记录（0 为不生成，攻坚年按月填报）")
		fs.Uint64Var(&seed, "seed", opt.Seed, "随机种子：种子和参数相同，生成的数据相同")
		fs.StringVar(&opt.Prefix, "prefix", "", "编码前缀（字母或数字）；默认取下一个空闲的 GEN1、GEN2……")
		fs.StringVar(&scale, "scale", "", "按规模生成：district（区县：事项、填报、督办件、台账、指标、账号）、city（15 个区县）、province（150 个区县）")
	})
	if err != nil {
		return err
	}
	opt.Seed = seed
	db, err := openDB(ctx, cfg, newLogger(cfg, env.stderr))
	if err != nil {
		return err
	}
	defer db.Close()
	if scale != "" {
		return genScale(ctx, env, db, scale, opt)
	}
	st, err := gen.Generate(ctx, db, opt)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "已生成模拟区县 %s（编码前缀 %s，攻坚年 id %d，%s）：\n", st.District, st.Prefix, st.CampaignID, db.Engine())
	fmt.Fprintf(env.stdout, "  单位 %d、人员 %d、战区及网格 %d\n", st.Units, st.Persons, st.Zones)
	fmt.Fprintf(env.stdout, "  事项 %d（其中子事项 %d）、节点 %d、目标 %d、配合单位 %d\n", st.Items, st.SubItems, st.Milestones, st.Targets, st.CoUnits)
	if st.Reports > 0 {
		fmt.Fprintf(env.stdout, "  填报 %d、修订 %d、目标值 %d、实际值 %d\n", st.Reports, st.Revisions, st.Values, st.Actuals)
	}
	fmt.Fprintf(env.stdout, "  共 %d 行，用时 %s（%.0f 行/秒）\n", st.Rows(), st.Elapsed.Round(1e6), float64(st.Rows())/st.Elapsed.Seconds())
	return nil
}
