import { createI18n } from 'vue-i18n'
import { computed } from 'vue'
import zhCN from './zh-CN'
import en from './en'
import progressZh from './progress.zh-CN'
import progressEn from './progress.en'
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

type Messages = Record<string, unknown> & { errors?: Record<string, unknown> }

/**
 * The API's message keys are dotted (item.leader_required, login.locked), and
 * vue-i18n reads dots as a path; so errors.item.leader_required is nested here
 * and t(`errors.${key}`) finds it. A key that would nest under a plain
 * message is left out.
 */
function nestErrors<T extends Messages>(m: T): T {
  const out: Record<string, unknown> = {}
  for (const [key, text] of Object.entries(m.errors ?? {})) {
    const parts = key.split('.')
    let node: Record<string, unknown> | null = out
    for (const p of parts.slice(0, -1)) {
      const next: unknown = node[p] ?? (node[p] = {})
      node = typeof next === 'object' && next !== null ? (next as Record<string, unknown>) : null
      if (!node) break
    }
    const leaf = parts[parts.length - 1]
    if (node && !(leaf in node)) node[leaf] = text
  }
  return { ...m, errors: out }
}

export const i18n = createI18n({
  legacy: false,
  locale: initial(),
  fallbackLocale: 'zh-CN',
  messages: { 'zh-CN': nestErrors(zhCN), en: nestErrors(en) },
  missingWarn: false,
  fallbackWarn: false,
})
// Progress reporting and status lights keep their words in files of their own,
// merged key by key into each language (menu, errors … gain entries).
i18n.global.mergeLocaleMessage('zh-CN', nestErrors(progressZh))
i18n.global.mergeLocaleMessage('en', nestErrors(progressEn))
// So do the later features: cases.zh-CN.ts, ledgers.en.ts …
for (const m of Object.values(import.meta.glob<{ default: Messages }>('./*.zh-CN.ts', { eager: true }))) {
  if (m.default !== progressZh) i18n.global.mergeLocaleMessage('zh-CN', nestErrors(m.default))
}
for (const m of Object.values(import.meta.glob<{ default: Messages }>('./*.en.ts', { eager: true }))) {
  if (m.default !== progressEn) i18n.global.mergeLocaleMessage('en', nestErrors(m.default))
}

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
