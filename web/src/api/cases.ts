// Casework (督办): cases with their parallel tasks, timeline, extensions and
// attachments; the per-unit stats; the stocktake meeting's agenda.
import { buildQuery, http, ApiError, problemText } from './http'
import type { Problem } from './http'
import type { List } from './types'
import type { ItemLight } from './progress'
import { lang } from '@/i18n'

export type CaseType = 'problem' | 'instruction' | 'enterprise_request' | 'one_window' | 'meeting_decision'
export type CaseState = 'open' | 'in_progress' | 'resolved' | 'closed'
export type TaskState = 'pending' | 'accepted' | 'answered'
export const caseTypes: CaseType[] = ['problem', 'instruction', 'enterprise_request', 'one_window', 'meeting_decision']
export const caseStates: CaseState[] = ['open', 'in_progress', 'resolved', 'closed']

export interface CaseTask {
  id: number
  unit_id: number
  unit_name: string
  role: 'lead' | 'parallel'
  due: string
  state: TaskState
  answer: string
  accepted_at: string | null
  answered_at: string | null
  answered_by_name: string
  overdue: boolean
}

export interface Case {
  id: number
  code: string
  type: CaseType
  type_label: string
  title: string
  description: string
  priority: 'normal' | 'urgent'
  source_kind: string
  source_id: number
  item_id: number | null
  item_code: string
  item_name: string
  campaign_id: number | null
  enterprise_id: number | null
  requester_person_id: number | null
  requester_name: string
  requester_user_id: number | null
  requester_unit_id: number | null
  requester_unit_name: string
  deadline: string
  original_deadline: string
  state: CaseState
  state_label: string
  overdue: boolean
  due_soon: boolean
  days_left: number
  escalated_to: number | null
  escalated_to_name: string
  escalated_at: string | null
  resolved_at: string | null
  closed_at: string | null
  reopen_count: number
  rating: number | null
  external_ref?: string
  units: string
  tasks: CaseTask[]
  version: number
  created_at: string
  updated_at: string
}

export interface CaseEvent {
  id: number
  at: string
  user_id: number | null
  actor: string
  action: string
  action_label: string
  from_state: string
  to_state: string
  unit_id: number | null
  unit_name: string
  note: string
  rating: number | null
}

export interface CaseExtension {
  id: number
  case_id: number
  old_deadline: string
  new_deadline: string
  reason: string
  state: 'requested' | 'approved' | 'rejected'
  requested_by_name: string
  requested_at: string
  decided_by_name: string
  decided_at: string | null
  decision_note: string
}

export interface CaseAttachment {
  id: number
  case_id: number
  file_name: string
  content_type: string
  size: number
  uploaded_by_name: string
  created_at: string
}

export interface CaseDetail extends Case {
  events: CaseEvent[]
  extensions: CaseExtension[]
  attachments: CaseAttachment[]
}

export interface AssigneeInput {
  unit_id: number
  due?: string
}

export interface CaseInput {
  type?: CaseType
  title: string
  description?: string
  priority?: 'normal' | 'urgent'
  source_kind?: string
  source_id?: number
  item_id?: number
  deadline: string
  assignees?: AssigneeInput[]
}

export interface CaseQuery {
  type?: string
  state?: string
  unit_id?: number
  item_id?: number
  campaign_id?: number
  leader_id?: number
  escalated?: boolean
  overdue?: boolean
  due_soon?: boolean
  reopened?: boolean
  /** Count the time limits to the end of this day (the cockpit's 查看日期). */
  as_of?: string
  from?: string
  to?: string
  q?: string
  sort?: string
  page?: number
  page_size?: number
}

export interface UnitStats {
  unit_id: number
  unit_name: string
  received: number
  resolved: number
  resolved_on_time: number
  on_time_rate: number
  avg_days_to_resolve: number
  overdue: number
  reopened: number
  rated: number
  avg_satisfaction: number
}

export interface StatsQuery {
  from?: string
  to?: string
  unit_id?: number
}

export interface StocktakeAgenda {
  as_of: string
  red_items: ItemLight[]
  overdue_cases: Case[]
}

type Q = Record<string, string | number | boolean | undefined>

export const casesApi = {
  list: (q: CaseQuery, opts: { signal?: AbortSignal } = {}) => http.get<List<Case>>('/cases', q as Q, opts),
  exportUrl: (q: CaseQuery, lang?: string) => `/api/v1/cases/export${buildQuery({ ...q, page: undefined, page_size: undefined, lang: lang === 'en' ? 'en' : undefined } as Q)}`,
  get: (id: number) => http.get<CaseDetail>(`/cases/${id}`),
  create: (body: CaseInput) => http.post<Case>('/cases', body, { silent: true }),
  assign: (id: number, version: number, assignees: AssigneeInput[]) =>
    http.post<Case>(`/cases/${id}/assign`, { assignees }, { version, silent: true }),
  accept: (id: number, version: number, unitId?: number) =>
    http.post<Case>(`/cases/${id}/accept`, unitId ? { unit_id: unitId } : {}, { version }),
  answer: (id: number, version: number, answer: string, unitId?: number) =>
    http.post<Case>(`/cases/${id}/answer`, { answer, ...(unitId ? { unit_id: unitId } : {}) }, { version, silent: true }),
  close: (id: number, version: number, note: string, rating?: number) =>
    http.post<Case>(`/cases/${id}/close`, { note, ...(rating ? { rating } : {}) }, { version, silent: true }),
  reopen: (id: number, version: number, rating: number, comment: string) =>
    http.post<Case>(`/cases/${id}/reopen`, { rating, comment }, { version, silent: true }),
  comment: (id: number, text: string) => http.post<Case>(`/cases/${id}/comments`, { text }, { silent: true }),
  requestExtension: (id: number, newDeadline: string, reason: string) =>
    http.post<Case>(`/cases/${id}/extensions`, { new_deadline: newDeadline, reason }, { silent: true }),
  approveExtension: (extId: number, note = '') => http.post<Case>(`/case-extensions/${extId}/approve`, note ? { note } : {}),
  rejectExtension: (extId: number, note: string) => http.post<Case>(`/case-extensions/${extId}/reject`, { note }, { silent: true }),
  attachmentUrl: (attId: number) => `/api/v1/case-attachments/${attId}`,
  /** Uploads a file as the raw body; problems come back as an ApiError. */
  async attach(id: number, file: File): Promise<CaseAttachment> {
    const res = await fetch(`/api/v1/cases/${id}/attachments${buildQuery({ name: file.name })}`, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/octet-stream', Accept: 'application/json, application/problem+json', 'Accept-Language': lang.value },
      body: file,
    })
    const data = await res.json().catch(() => null)
    if (res.ok) return data as CaseAttachment
    const p: Problem = data && typeof data === 'object' ? { ...data, status: res.status } : { status: res.status }
    throw new ApiError(p)
  },
  stats: (q: StatsQuery) => http.get<List<UnitStats>>('/case-stats', q as Q),
  statsExportUrl: (q: StatsQuery, lang?: string) => `/api/v1/case-stats/export${buildQuery({ ...q, lang: lang === 'en' ? 'en' : undefined } as Q)}`,
  stocktake: (campaignId: number, period: string) =>
    http.get<StocktakeAgenda>('/stocktake', { campaign_id: campaignId, period: period || undefined }),
  recordStocktake: (meeting: string, decisions: CaseInput[]) =>
    http.post<List<Case>>('/stocktake', { meeting, decisions }, { silent: true }),
}

export { problemText }
