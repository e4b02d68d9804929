// 经济指标: catalogue, the period table (value, growth, rank, gaps, targets),
// summary, briefing sentences, trend, revisions and the statistics-office
// Excel round trip.
import { ApiError, http } from './http'
import type { List } from './types'

export interface Indicator {
  id: number
  code: string
  name: string
  unit: string
  frequency: 'monthly' | 'quarterly'
  cumulative: boolean
  direction: 'higher' | 'lower'
  rank_by: 'value' | 'growth'
  city_ranked: boolean
  note: string
  version: number
}

export interface Standing {
  region_id: number
  region: string
  kind: 'self' | 'peer' | 'city'
  value: number | null
  last_year: number | null
  growth: number | null
  rank: number
  illustrative: boolean
}

export interface TargetProgress {
  kind: 'district' | 'city_guidance'
  measure: 'value' | 'growth'
  target: number
  progress: number | null
  gap: number | null
  behind: boolean
}

export interface Row {
  indicator: Indicator
  period: string
  period_label: string
  due: boolean
  value: number | null
  value_text: string
  last_year: number | null
  growth: number | null
  growth_unit: string
  city_value: number | null
  city_growth: number | null
  gap_to_city: number | null
  rank: number
  ranked: number
  prev_rank: number
  rank_change: number
  missing_peers: string[]
  standings: Standing[]
  district_target: TargetProgress | null
  guidance_target: TargetProgress | null
  elapsed: number
  behind_time: boolean
  illustrative: boolean
}

export interface RankMove {
  code: string
  name: string
  prev_rank: number
  rank: number
}

export interface Summary {
  period: string
  period_label: string
  city_ranked: number
  ranked: number
  top3: number
  top3_names: string[]
  first: number
  rose: RankMove[]
  fell: RankMove[]
  behind: string[]
  headline: string
}

export interface Sentence {
  code: string
  text: string
  clauses: string[]
  illustrative: boolean
}

export interface TrendPoint {
  period: string
  value: number | null
  growth: number | null
  city_growth: number | null
  gap_to_city: number | null
  rank: number
  ranked: number
}

export interface Revision {
  revision: number
  value: number
  illustrative: boolean
  note: string
  recorded_by: string
  recorded_at: string
}

export interface ImportProblem {
  sheet: string
  row: number
  column: string
  value: string
  message: string
}

export interface ImportResult {
  dry_run: boolean
  created: number
  updated: number
  unchanged: number
  problems: ImportProblem[]
}

export interface PeriodQuery {
  period?: string
  as_of?: string
}

export const indicatorsApi = {
  table: (q: PeriodQuery) => http.get<{ period: string; rows: Row[] }>('/indicator-table', { ...q }),
  summary: (q: PeriodQuery) => http.get<Summary>('/indicator-summary', { ...q }),
  sentences: (q: PeriodQuery) => http.get<List<Sentence>>('/indicator-sentences', { ...q }),
  trend: (id: number, q: PeriodQuery) => http.get<List<TrendPoint>>(`/indicators/${id}/trend`, { ...q }),
  history: (id: number, regionId: number, period: string) =>
    http.get<List<Revision>>(`/indicators/${id}/history`, { region_id: regionId, period }),
  exportUrl: (periods: string, asOf?: string) =>
    `/api/v1/indicator-table/export?periods=${encodeURIComponent(periods)}${asOf ? `&as_of=${asOf}` : ''}`,
  /** Uploads a workbook; a commit with problems rejects with ApiError whose problem lists them. */
  importFile: async (file: File, dryRun: boolean): Promise<ImportResult> => {
    const res = await fetch(`/api/v1/indicator-values/import?dry_run=${dryRun}`, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', Accept: 'application/json, application/problem+json' },
      body: file,
    })
    const data = await res.json().catch(() => null)
    if (res.ok) return data as ImportResult
    throw new ApiError({ status: res.status, ...(data ?? {}) })
  },
}
