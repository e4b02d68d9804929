import { createI18n } from 'vue-i18n'
import { computed } from 'vue'
import zhCN from './zh-CN'
import en from './en'
import epZhCn from 'element-plus/es/locale/lang/zh-cn'
import epEn from 'element-plus/es/locale/lang/en'
// Month and weekday names in Element Plus's date pickers come from dayjs.
import 'dayjs/locale/zh-cn'

export type Lang = 'zh-CN' | 'en'
const STORAGE_KEY = 'gongjian.lang'

function initial(): Lang {
  try {
    const v = localStorage.getItem(STORAGE_KEY)
    if (v === 'en' || v === 'zh-CN') return v
  } catch {
    /* storage blocked: fall back to Chinese */
  }
  return 'zh-CN'
}

export const i18n = createI18n({
  legacy: false,
  locale: initial(),
  fallbackLocale: 'zh-CN',
  messages: { 'zh-CN': zhCN, en },
  missingWarn: false,
  fallbackWarn: false,
})

document.documentElement.lang = i18n.global.locale.value

export const lang = computed<Lang>(() => i18n.global.locale.value as Lang)
export const elementLocale = computed(() => (lang.value === 'en' ? epEn : epZhCn))

export function setLang(l: Lang) {
  i18n.global.locale.value = l
  document.documentElement.lang = l
  try {
    localStorage.setItem(STORAGE_KEY, l)
  } catch {
    /* ignore */
  }
}

/** t outside components. */
export const t = (key: string, named?: Record<string, unknown>) =>
  named ? i18n.global.t(key, named) : i18n.global.t(key)
export const te = (key: string) => i18n.global.te(key)
