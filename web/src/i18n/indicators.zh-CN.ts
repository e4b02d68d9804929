// 经济指标的用语（简体中文），由 i18n/index.ts 按键合并进 zh-CN。
export default {
  menu: { indicators: '经济指标' },
}
