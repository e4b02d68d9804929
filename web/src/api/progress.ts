// Progress reporting (进展填报) and status lights (亮灯): periods, tasks,
// reports with their revisions, lights, roll-ups, rules and overrides.
// Kept beside index.ts so the pages of this feature import from one place.
import { http, request } from './http'
import type { List } from './types'

export type ReportState = 'draft' | 'submitted' | 'accepted' | 'returned'
export type TaskStatus = 'missing' | ReportState
export type Light = 'green' | 'yellow' | 'red'

/** A reporting period: a month "2022-09" or an ISO week "2022-W36". */
export interface Period {
  key: string
  start: string
  end: string
  /** The day its report is due. */
  due: string
}

export interface Task {
  item_id: number
  code: string
  name: string
  type: string
  lead_unit_name: string
  status: TaskStatus
  /** Past the due day and not submitted. */
  overdue: boolean
  /** Submitted after the due day. */
  late: boolean
  report_id?: number
  version?: number
  return_reason?: string
}

export interface TaskList {
  period: Period
  tasks: Task[]
}

export interface TargetValue {
  target_id: number
  name?: string
  unit?: string
  value: number
}

export interface MilestoneReached {
  milestone_id: number
  actual_date: string
}

export interface Report {
  id: number
  item_id: number
  item_code: string
  item_name: string
  lead_unit_name: string
  period: string
  period_end: string
  due_date: string
  state: ReportState
  narrative: string
  problems: string
  next_steps: string
  investment_completed_wan: number | null
  /** Filled by GET /reports/{id} (and revisions), empty in lists. */
  values: TargetValue[]
  milestones: MilestoneReached[]
  late: boolean
  submitted_at: string | null
  reviewed_at: string | null
  return_reason: string
  revision: number
  version: number
  updated_at: string
}

export interface ReportInput {
  narrative: string
  problems: string
  next_steps: string
  investment_completed_wan?: number
  values: { target_id: number; value: number }[]
  milestones: MilestoneReached[]
}

export interface Revision {
  revision: number
  state: ReportState
  at: string
  username: string
  note: string
  report: Report
}

export interface TargetProgress {
  target_id: number
  name: string
  unit: string
  baseline: number
  value: number
  deadline: string
  /** What the linear plan expects by the as-of day. */
  planned: number
  actual: number | null
  actual_at: string | null
  /** 完成率, 0–1. */
  completion: number | null
  /** 序时进度, 0–1. */
  elapsed: number
  gap: number | null
  forecast: string | null
}

export interface LightOverride {
  light: Light
  reason: string
  username: string
  set_at: string
}

export interface ItemLight {
  item_id: number
  code: string
  name: string
  type: string
  level: string
  state: string
  zone_id: number
  zone_name: string
  leader_id: number
  leader_name: string
  lead_unit_id: number
  lead_unit_name: string
  annual_investment_wan: number
  investment_completed_wan: number
  light: Light
  computed_light: Light
  reasons: string[]
  override?: LightOverride
  targets: TargetProgress[]
  last_report_state: TaskStatus
}

export interface LightList {
  as_of: string
  counts: Record<Light, number>
  items: ItemLight[]
}

export type RollupBy = 'zone' | 'unit' | 'leader' | 'type' | 'level' | 'campaign'

export interface Rollup {
  key: string
  label: string
  items: number
  green: number
  yellow: number
  red: number
  completed: number
  annual_investment_wan: number
  investment_completed_wan: number
}

export interface LightRules {
  yellow_ratio: number
  red_ratio: number
  warn_days: number
  missing_report_red: boolean
}

export interface LightQuery {
  campaign_id: number
  as_of?: string
  top_level?: boolean
  type?: string
  item_id?: number
  light?: string
  /** Paging of the items (counts cover all); page_size 0 or absent: all. */
  page?: number
  page_size?: number
}

export interface ReportQuery {
  campaign_id?: number
  item_id?: number
  period?: string
  state?: string
  page?: number
  page_size?: number
}

type Signal = { signal?: AbortSignal }

export const progressApi = {
  periods: (campaignId: number) => http.get<List<Period>>('/periods', { campaign_id: campaignId }),
  tasks: (campaignId: number, period?: string, opts: Signal = {}) =>
    http.get<TaskList>('/tasks', { campaign_id: campaignId, period }, opts),
  reports: (q: ReportQuery, opts: Signal = {}) => http.get<List<Report>>('/reports', { ...q }, opts),
  report: (id: number) => http.get<Report>(`/reports/${id}`),
  revisions: (id: number) => http.get<List<Revision>>(`/reports/${id}/revisions`),
  /** Saves a draft; version 0 creates the report. */
  save: (itemId: number, period: string, version: number, body: ReportInput) =>
    http.put<Report>(`/items/${itemId}/reports/${encodeURIComponent(period)}`, version, body, { silent: true }),
  /** 报送 of a changed form: saves and submits in one request, all or nothing; version 0 creates the report. */
  saveAndSubmit: (itemId: number, period: string, version: number, body: ReportInput) =>
    http.post<Report>(`/items/${itemId}/reports/${encodeURIComponent(period)}/submit`, body, { version, silent: true }),
  /** Submits the draft on record as it is. */
  submit: (id: number, version: number) =>
    http.post<Report>(`/reports/${id}/submit`, {}, { version, silent: true }),
  accept: (id: number, version: number) =>
    http.post<Report>(`/reports/${id}/accept`, {}, { version, silent: true }),
  return: (id: number, version: number, reason: string) =>
    http.post<Report>(`/reports/${id}/return`, { reason }, { version, silent: true }),
}

export const lightsApi = {
  list: (q: LightQuery, opts: Signal = {}) => http.get<LightList>('/lights', { ...q }, opts),
  rollups: (q: { campaign_id: number; by: RollupBy; as_of?: string; top_level?: boolean; type?: string }, opts: Signal = {}) =>
    http.get<List<Rollup>>('/rollups', { ...q }, opts),
  rules: (campaignId: number) => http.get<LightRules>(`/campaigns/${campaignId}/light-rules`),
  /** The rules have no version: the last writer wins (and the audit trail keeps both). */
  setRules: (campaignId: number, rules: LightRules) =>
    request<LightRules>('PUT', `/campaigns/${campaignId}/light-rules`, { body: rules, silent: true }),
  /** light "" clears the override; a reason is needed either way. */
  override: (itemId: number, light: Light | '', reason: string) =>
    request<void>('PUT', `/items/${itemId}/light-override`, { body: { light, reason }, silent: true }),
}

export type ExtensionState = 'requested' | 'approved' | 'rejected'

/** A deadline extension (延期申请) for a milestone's planned date or a target's deadline. */
export interface Extension {
  id: number
  item_id: number
  item_code: string
  item_name: string
  kind: 'milestone' | 'target'
  milestone_id: number | null
  target_id: number | null
  /** The milestone's or target's name. */
  subject: string
  /** 原定: the date when asked, kept after approval. */
  old_date: string
  new_date: string
  reason: string
  state: ExtensionState
  summary: string
  requested_by_name: string
  requested_at: string
  decided_by_name: string
  decided_at: string | null
  decision_note: string
  version: number
}

export interface ExtensionQuery {
  campaign_id?: number
  item_id?: number
  state?: string
  page?: number
  page_size?: number
}

export const extensionsApi = {
  list: (q: ExtensionQuery, opts: Signal = {}) => http.get<List<Extension>>('/extensions', { ...q }, opts),
  request: (body: { milestone_id?: number; target_id?: number; new_date: string; reason: string }) =>
    http.post<Extension>('/extensions', body, { silent: true }),
  approve: (id: number, version: number, note: string) =>
    http.post<Extension>(`/extensions/${id}/approve`, { note }, { version, silent: true }),
  reject: (id: number, version: number, note: string) =>
    http.post<Extension>(`/extensions/${id}/reject`, { note }, { version, silent: true }),
}

/** What an extension is asked for: a milestone or a target, with its date now. */
export interface ExtensionSubject {
  kind: 'milestone' | 'target'
  id: number
  name: string
  /** The planned date or deadline now. */
  date: string
}
