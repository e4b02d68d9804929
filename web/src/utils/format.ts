// Amounts and dates the way officials write them: 万元 for small amounts,
// 亿元 from 1亿 up (858亿元, 2.8亿元); dates as 2022年9月8日.
import { lang } from '@/i18n'

function trim(n: number, digits: number): string {
  const s = n.toFixed(digits)
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s
}

/** Formats an amount given in 万元. */
export function money(wan: number | null | undefined, opts: { blankZero?: boolean } = {}): string {
  if (wan == null || Number.isNaN(wan)) return '—'
  if (wan === 0 && opts.blankZero) return '—'
  const neg = wan < 0 ? '-' : ''
  const a = Math.abs(wan)
  if (lang.value === 'en') {
    // 1亿 = 100 m; 10亿 = 1 bn
    if (a >= 100000) return `${neg}${trim(a / 100000, 2)} bn yuan`
    return `${neg}${trim(a / 100, 2)} m yuan`
  }
  if (a >= 10000) return `${neg}${trim(a / 10000, 2)}亿元`
  return `${neg}${trim(a, 2)}万元`
}

/** An amount split into number and unit, for headline figures. */
export function moneyParts(wan: number): { value: string; unit: string } {
  const m = money(wan)
  const i = m.search(/[^\d.\-]/)
  return i < 0 ? { value: m, unit: '' } : { value: m.slice(0, i).trim(), unit: m.slice(i).trim() }
}

/** Amount in 亿元 as a plain number (for charts). */
export function yi(wan: number): number {
  return Math.round((wan / 10000) * 100) / 100
}

const EN_MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']

/** Formats a civil date "2022-09-08" as 2022年9月8日 (or 8 Sep 2022). */
export function date(s: string | null | undefined): string {
  if (!s) return '—'
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(s)
  if (!m) return s
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])]
  return lang.value === 'en' ? `${d} ${EN_MONTHS[mo - 1]} ${y}` : `${y}年${mo}月${d}日`
}

/** Formats a timestamp in the browser's time zone, with minutes. */
export function dateTime(s: string | null | undefined): string {
  if (!s) return '—'
  const t = new Date(s)
  if (Number.isNaN(t.getTime())) return s
  const p = (n: number) => String(n).padStart(2, '0')
  const day = `${t.getFullYear()}-${p(t.getMonth() + 1)}-${p(t.getDate())}`
  return `${date(day)} ${p(t.getHours())}:${p(t.getMinutes())}`
}

/** Today's date as YYYY-MM-DD in the browser's zone. */
export function today(): string {
  const t = new Date()
  const p = (n: number) => String(n).padStart(2, '0')
  return `${t.getFullYear()}-${p(t.getMonth() + 1)}-${p(t.getDate())}`
}

/** Whole days from a to b (YYYY-MM-DD). */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(b) - Date.parse(a)) / 86400000)
}

export function num(n: number | null | undefined): string {
  if (n == null) return '—'
  return trim(n, 2)
}
