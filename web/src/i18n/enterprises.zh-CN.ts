// 企业服务的用语（简体中文），由 i18n/index.ts 按键合并进 zh-CN。
export default {
  menu: { enterprises: '企业服务' },
}
