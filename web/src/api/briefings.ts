// Briefings (简报/通报) generated from the data, with every figure's records;
// their wording, revisions, publication and downloads; the league table
// (考核排名) and its rules.
import { ApiError, buildQuery, http, request } from './http'
import type { Problem, RequestOptions } from './http'
import { lang } from '@/i18n'
import type { List } from './types'

export type PeriodKind = 'week' | 'month' | 'quarter' | 'half' | 'ytd' | 'year'
export const periodKinds: PeriodKind[] = ['week', 'month', 'quarter', 'half', 'ytd', 'year']
export type BriefingState = 'draft' | 'published'
export type ExportFormat = 'docx' | 'pdf' | 'xlsx'

export interface SourceRecord {
  kind: string
  id: number
  code?: string
  name: string
  /** What the record contributes to the figure. */
  value: number
  note?: string
}

export interface FigureSource {
  /** The API query that lists the records. */
  api: string
  sum: 'count' | 'sum' | 'ratio' | 'value'
  of?: string[]
  records: SourceRecord[]
  count: number
}

export interface BriefingFigure {
  key: string
  label: string
  value: number
  unit: string
  precision: number
  /** As printed, e.g. 156亿元. */
  text: string
  source: FigureSource
}

export interface TextSpan {
  text: string
  /** The figure key when this span is a figure. */
  figure?: string
}

export interface BriefingParagraph {
  key: string
  /** The wording with {{figure}} placeholders. */
  source: string
  text: string
  spans: TextSpan[]
}

export interface BriefingSection {
  key: string
  title: string
  paragraphs: BriefingParagraph[]
}

export interface BehindRow {
  item_id: number
  code: string
  name: string
  light: 'red' | 'yellow'
  reasons: string[]
  leader: string
  unit: string
}

export interface BriefingTable {
  title: string
  header: string[]
  rows: string[][]
}

export interface LeagueRules {
  weights: Record<string, number>
  deductions: Record<string, number>
  honour_size: number
  honour_min: number
  warn_size: number
  warn_below: number
  version: number
}

export interface ScorePart {
  key: string
  label: string
  weight: number
  numerator: number
  denominator: number
  ratio: number
  points: number
  records: SourceRecord[]
}

export interface ScoreDeduction {
  key: string
  label: string
  count: number
  per: number
  points: number
  records: SourceRecord[]
}

export interface LeagueRow {
  rank: number
  unit_id: number
  unit_name: string
  score: number
  breakdown: ScorePart[]
  deductions: ScoreDeduction[]
}

export interface LeagueTable {
  campaign_id: number
  period: string
  start: string
  as_of: string
  rules: LeagueRules
  rows: LeagueRow[]
  honour: LeagueRow[]
  warning: LeagueRow[]
}

export interface BriefingContent {
  sections: BriefingSection[]
  figures: BriefingFigure[]
  labels: Record<string, string>
  behind: BehindRow[]
  league: LeagueTable
  extra?: Record<string, BriefingTable[]>
}

export interface Briefing {
  id: number
  campaign_id: number
  period: PeriodKind
  period_label: string
  start: string
  as_of: string
  zone_id: number | null
  unit_id: number | null
  lang: 'zh' | 'en'
  title: string
  issue_no: number
  issuer: string
  state: BriefingState
  revision: number
  version: number
  created_at: string
  updated_at: string
  published_at: string | null
  content?: BriefingContent
}

export interface BriefingInput {
  campaign_id: number
  period: PeriodKind
  as_of: string
  zone_id?: number
  unit_id?: number
  lang?: 'zh' | 'en'
  title?: string
  issuer?: string
}

export interface BriefingWording {
  title: string
  sections: { key: string; title: string; paragraphs: { key?: string; source: string }[] }[]
}

export interface BriefingRevision {
  revision: number
  action: 'generate' | 'edit' | 'publish'
  at: string
  username: string
}

export interface BriefingQuery {
  campaign_id?: number
  state?: BriefingState | ''
  page?: number
  page_size?: number
}

export interface LeagueQuery {
  campaign_id: number
  period: PeriodKind
  as_of: string
  zone_id?: number
  unit_id?: number
}

type Q = Record<string, string | number | boolean | undefined>

export const briefingsApi = {
  list: (q: BriefingQuery, opts: RequestOptions = {}) => http.get<List<Briefing>>('/briefings', q as Q, opts),
  generate: (b: BriefingInput, opts: RequestOptions = {}) => http.post<Briefing>('/briefings', b, opts),
  get: (id: number) => http.get<Briefing>(`/briefings/${id}`),
  figure: (id: number, key: string) => http.get<BriefingFigure>(`/briefings/${id}/figure`, { key }),
  revisions: (id: number) => http.get<List<BriefingRevision>>(`/briefings/${id}/revisions`),
  setWording: (id: number, version: number, w: BriefingWording) => http.put<Briefing>(`/briefings/${id}/wording`, version, w, { silent: true }),
  publish: (id: number, version: number) => request<Briefing>('POST', `/briefings/${id}/publish`, { version }),
  remove: (id: number, version: number) => http.del(`/briefings/${id}`, version),
  exportUrl: (id: number, format: ExportFormat) => `/api/v1/briefings/${id}/export${buildQuery({ format })}`,
  league: (q: LeagueQuery, opts: RequestOptions = {}) => http.get<LeagueTable>('/league', q as unknown as Q, opts),
  leagueRules: (campaignId: number) => http.get<LeagueRules>(`/campaigns/${campaignId}/league-rules`),
  setLeagueRules: (campaignId: number, version: number, r: LeagueRules) =>
    http.put<LeagueRules>(`/campaigns/${campaignId}/league-rules`, version, r, { silent: true }),
}

/**
 * Downloads a briefing as a file. A refusal (a PDF without a Chinese font on
 * the server answers 409 briefing.pdf_font_missing) is thrown as an ApiError
 * for the page to show; nothing is saved then.
 */
export async function downloadBriefing(id: number, format: ExportFormat): Promise<void> {
  const res = await fetch(briefingsApi.exportUrl(id, format), { credentials: 'same-origin', headers: { 'Accept-Language': lang.value } })
  if (!res.ok) {
    const data = await res.json().catch(() => null)
    throw new ApiError({ ...(data && typeof data === 'object' ? data : {}), status: res.status } as Problem)
  }
  const blob = await res.blob()
  const cd = res.headers.get('Content-Disposition') ?? ''
  const m = /filename\*=UTF-8''([^;]+)/.exec(cd) ?? /filename="([^"]+)"/.exec(cd)
  const name = m ? decodeURIComponent(m[1]) : `briefing-${id}.${format}`
  const url = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = url
  a.download = name
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 10000)
}
