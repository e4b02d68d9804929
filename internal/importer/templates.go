package importer

import (
	"context"
	"io"

	"gongjian/internal/errs"
	"gongjian/internal/org"
	"gongjian/internal/xlsx"
)

func col(header string, req bool, example, note string, choices []string, format string) xlsx.TemplateColumn {
	return xlsx.TemplateColumn{Header: header, Required: req, Example: example, Note: note, Choices: choices, Format: format}
}

// WriteTemplate writes the import template of kind (one of Kinds) with its
// dictionary sheet: units, persons (leaders), the campaign's zones, item
// types, levels and states. campaignID matters for items only (zones).
func (s *Service) WriteTemplate(ctx context.Context, w io.Writer, kind string, campaignID int64) error {
	units, err := s.org.ListUnits(ctx, org.UnitFilter{})
	if err != nil {
		return err
	}
	unitNames := make([]string, 0, len(units))
	for _, u := range units {
		unitNames = append(unitNames, u.Name)
	}
	var t xlsx.Template
	switch kind {
	case "units":
		t = xlsx.Template{Sheet: "单位", Title: "单位导入模板", Instructions: []string{"单位编码相同的行更新已有单位；上级单位可填名称或编码，也可以是本表前面行中的单位。"},
			Columns: []xlsx.TemplateColumn{col("单位编码", true, "ZJJ", "唯一编码，导入时据此新增或更新", nil, "text"),
				col("单位名称", true, "区住建局", "", nil, ""), col("单位类型", true, "部门", "", unitKinds.labels, ""),
				col("上级单位", false, "区政府", "", unitNames, ""), col("排序", false, "10", "数字越小越靠前", nil, "number")}}
	case "persons":
		t = xlsx.Template{Sheet: "人员", Title: "人员导入模板", Instructions: []string{"人员编码相同的行更新已有人员。"},
			Columns: []xlsx.TemplateColumn{col("人员编码", true, "P-ZJJ-01", "唯一编码", nil, "text"), col("姓名", true, "张三", "", nil, ""),
				col("职务", false, "局长", "", nil, ""), col("所属单位", false, "区住建局", "", unitNames, ""), col("电话", false, "0535-0000000", "", nil, "text")}}
	case "items":
		if campaignID == 0 { // the latest campaign's zones
			cs, err := s.campaign.ListCampaigns(ctx)
			if err != nil {
				return err
			}
			for _, c := range cs {
				campaignID = max(campaignID, c.ID)
			}
		}
		if _, err := s.campaign.GetCampaign(ctx, campaignID); err != nil && campaignID != 0 {
			return err
		}
		persons, err := s.org.ListPersons(ctx, org.PersonFilter{})
		if err != nil {
			return err
		}
		leaders := make([]string, 0, len(persons))
		for _, p := range persons {
			leaders = append(leaders, p.Name)
		}
		zones, err := s.campaign.ListZones(ctx, campaignID)
		if err != nil {
			return err
		}
		zoneNames := []string{}
		for _, z := range zones {
			zoneNames = append(zoneNames, z.Name)
		}
		t = xlsx.Template{Sheet: "事项", Title: "事项导入模板", Instructions: []string{
			"事项编码相同的行更新本攻坚年已有事项；留空的列保持原值。",
			"责任领导、牵头单位、配合单位、战区可填名称或编码；配合单位有多个时用顿号“、”分隔。",
			"总投资、年度计划投资默认以万元为单位，可写“1.5亿元”“12,000”。",
		}, Columns: []xlsx.TemplateColumn{
			col("事项编码", true, "XM-2022-001", "唯一编码，导入时据此新增或更新", nil, "text"),
			col("事项名称", true, "芝罘湾广场改造提升", "", nil, ""),
			col("事项类型", true, "重点项目", "", itemTypes.labels, ""),
			col("级别", false, "市级", "", itemLevels.labels, ""),
			col("状态", false, "推进中", "默认推进中", itemStates.labels, ""),
			col("上级事项编码", false, "", "子事项填写所属事项的编码", nil, "text"),
			col("战区", false, firstOr(zoneNames, ""), "", zoneNames, ""),
			col("责任领导", true, firstOr(leaders, ""), "", leaders, ""),
			col("牵头单位", true, firstOr(unitNames, "区住建局"), "", unitNames, ""),
			col("配合单位", false, "", "多个单位用顿号“、”分隔", nil, ""),
			col("工作计划", false, "年内完成主体施工", "", nil, ""),
			col("总投资（万元）", false, "12000", "", nil, "yuan_wan"),
			col("年度计划投资（万元）", false, "5000", "", nil, "yuan_wan"),
			col("开始日期", false, "2022-03-01", "", nil, "date"),
			col("完成日期", false, "2022-12-31", "", nil, "date"),
			col("地点", false, "芝罘区", "", nil, ""),
			col("备注", false, "", "", nil, ""),
		}}
	case "milestones":
		t = xlsx.Template{Sheet: "节点", Title: "节点导入模板", Instructions: []string{"事项编码与节点名称相同的行更新已有节点。"},
			Columns: []xlsx.TemplateColumn{col("事项编码", true, "XM-2022-001", "本攻坚年已有事项的编码", nil, "text"),
				col("节点名称", true, "主体开工", "", nil, ""), col("节点类型", false, "开工", "", milestoneKinds.labels, ""),
				col("计划日期", true, "2022-05-31", "", nil, "date"), col("实际日期", false, "", "完成后填写，不能晚于今天", nil, "date"),
				col("排序", false, "1", "", nil, "number")}}
	case "targets":
		t = xlsx.Template{Sheet: "目标", Title: "目标导入模板", Instructions: []string{"事项编码与目标名称相同的行更新已有目标。"},
			Columns: []xlsx.TemplateColumn{col("事项编码", true, "XM-2022-001", "本攻坚年已有事项的编码", nil, "text"),
				col("目标名称", true, "改造老旧小区", "", nil, ""), col("计量单位", false, "个", "", nil, ""),
				col("基数", false, "0", "", nil, "number"), col("目标值", true, "13", "", nil, "number"),
				col("期限", true, "2022-11-30", "", nil, "date"), col("方向", false, "越大越好", "", directions.labels, "")}}
	default:
		more, ok, err := s.moreTemplate(ctx, kind, unitNames)
		if err != nil {
			return err
		}
		if !ok {
			return errs.NotFound("导入模板", kind)
		}
		t = more
	}
	return xlsx.WriteTemplate(w, t)
}

func firstOr(list []string, def string) string {
	if len(list) > 0 {
		return list[0]
	}
	return def
}
