// 督办的用语（简体中文），由 i18n/index.ts 按键合并进 zh-CN。
export default {
  menu: { cases: '督办' },
}
