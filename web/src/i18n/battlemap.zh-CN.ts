// 挂图作战的用语（简体中文）。
export default {
  menu: { map: '挂图作战' },
  map: {
    title: '挂图作战',
    hint: '按片区排布全部事项，颜色为亮灯；点击事项进入详情。不依赖互联网地图。',
    noZone: '未划片区',
    sizeBy: '方块大小',
    byCount: '按个数',
    byInvestment: '按年度计划投资',
    items: '{n} 个事项',
    leader: '责任领导',
    unit: '牵头单位',
    investment: '年度计划 {plan} 万元，已完成 {done} 万元',
    reasons: '亮灯原因',
    legend: '图例',
  },
}
