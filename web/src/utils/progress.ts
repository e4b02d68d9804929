// Small helpers shared by the reporting and status-light pages.
import type { Light, Period } from '@/api/progress'
import { today } from '@/utils/format'
import { lang } from '@/i18n'

/** The colours of the lights (also used by the charts). */
export const lightColor: Record<Light, string> = { green: '#2ba471', yellow: '#e6a23c', red: '#d54941' }
export const lights: Light[] = ['red', 'yellow', 'green']
/** Red first: who must act comes first. */
export const lightRank: Record<string, number> = { red: 0, yellow: 1, green: 2 }

/** A ratio (0–1) as a percentage: 0.705 → "71%". */
export function pct(r: number | null | undefined, digits = 0): string {
  if (r == null || Number.isNaN(r)) return '—'
  return `${(r * 100).toFixed(digits)}%`
}

/**
 * The period whose report is due next, as the API's tasks default: the
 * previous period while its due day has not passed, else the running one;
 * once the campaign is over, its last period.
 */
export function currentPeriod(periods: Period[], campaignEnd?: string): Period | undefined {
  if (!periods.length) return undefined
  let d = today()
  if (campaignEnd && d > campaignEnd) d = campaignEnd
  const i = periods.findIndex((p) => p.start <= d && d <= p.end)
  if (i < 0) return d < periods[0].start ? periods[0] : periods[periods.length - 1]
  if (i > 0 && d <= periods[i - 1].due) return periods[i - 1]
  return periods[i]
}

/** "2022-09" → 2022年9月 / Sep 2022; weeks "2022-W36" → 2022年第36周 / 2022 W36. */
export function periodLabel(key: string): string {
  const en = lang.value === 'en'
  let m = /^(\d{4})-(\d{2})$/.exec(key)
  if (m) {
    const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
    return en ? `${months[Number(m[2]) - 1]} ${m[1]}` : `${m[1]}年${Number(m[2])}月`
  }
  m = /^(\d{4})-W(\d{2})$/.exec(key)
  if (m) return en ? `${m[1]} W${Number(m[2])}` : `${m[1]}年第${Number(m[2])}周`
  return key
}
