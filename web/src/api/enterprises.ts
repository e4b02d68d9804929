// Enterprises (企业), service visits (走访), financing needs (融资需求) and the
// investment pipeline (招商项目). Amounts are in 万元, dates YYYY-MM-DD.
import { buildQuery, http } from './http'

type Q = Record<string, string | number | boolean | undefined>

export interface Enterprise {
  id: number
  credit_code: string
  name: string
  registered_capital_wan: number
  industry: string
  street: string
  address: string
  white_list: boolean
  top500: '' | 'world' | 'china' | 'private'
  above_scale: boolean
  commissioner_id: number | null
  commissioner_name: string
  finance_advisor_id: number | null
  finance_advisor_name: string
  illustrative: boolean
  note: string
  visit_count: number
  last_visit_on: string | null
  version: number
}

export type EnterpriseInput = Partial<Omit<Enterprise, 'id' | 'version' | 'visit_count' | 'last_visit_on' | 'commissioner_name' | 'finance_advisor_name'>>

export interface VisitProblem {
  id: number
  visit_id: number
  title: string
  description: string
  case_id: number | null
  case_code: string
  case_state: string
  solved: boolean
  solved_on: string | null
}

export interface Visit {
  id: number
  enterprise_id: number
  enterprise_name: string
  credit_code: string
  visit_date: string
  visitor_id: number
  visitor_name: string
  notes: string
  problems: VisitProblem[]
  illustrative: boolean
  version: number
}

export interface ProblemInput {
  title: string
  description?: string
  unit_id?: number
  deadline?: string
}

export interface VisitInput {
  enterprise_id: number
  visit_date: string
  visitor_id?: number
  notes?: string
  problems?: ProblemInput[]
}

export interface VisitCounts {
  enterprises_visited: number
  visits: number
  problems_raised: number
  problems_solved: number
}

export interface VisitFigures {
  total: VisitCounts
  by_commissioner: (VisitCounts & { key: string; name: string })[]
  by_month: (VisitCounts & { key: string })[]
}

export type NeedState = 'new' | 'matched' | 'granted' | 'declined'

export interface Need {
  id: number
  enterprise_id: number
  enterprise_name: string
  white_list: boolean
  amount_requested_wan: number
  purpose: string
  bank: string
  state: NeedState
  amount_granted_wan: number
  advisor_id: number | null
  advisor_name: string
  requested_on: string
  matched_on: string | null
  decided_on: string | null
  decline_reason: string
  illustrative: boolean
  version: number
}

export interface NeedList {
  items: Need[]
  total: number
  amount_requested_wan: number
  amount_granted_wan: number
}

export interface FinancingFigures {
  enterprises_served: number
  white_list_served: number
  needs: number
  needs_met: number
  enterprises_financed: number
  amount_requested_wan: number
  amount_granted_wan: number
  by_state: { key: string; count: number }[]
  by_bank: { bank: string; needs: number; granted: number; amount_granted_wan: number }[]
}

export type Stage = 'negotiating' | 'signed' | 'registered' | 'started' | 'operating' | 'dropped'
export const STAGES: Stage[] = ['negotiating', 'signed', 'registered', 'started', 'operating']

export interface Lead {
  id: number
  code: string
  investor: string
  project: string
  sector: string
  amount_wan: number
  source: string
  owner_unit_id: number
  owner_unit_name: string
  top500: boolean
  above_billion: boolean
  stage: Stage
  negotiating_on: string | null
  signed_on: string | null
  registered_on: string | null
  started_on: string | null
  operating_on: string | null
  dropped_on: string | null
  dropped_from: string
  drop_reason: string
  stage_on: string
  enterprise_id: number | null
  item_id: number | null
  item_code: string
  illustrative: boolean
  note: string
  version: number
}

export interface LeadList {
  items: Lead[]
  total: number
  amount_wan: number
}

export interface LeadInput {
  code: string
  investor: string
  project: string
  sector?: string
  amount_wan?: number
  source?: string
  owner_unit_id?: number
  top500?: boolean
  negotiating_on?: string
  note?: string
}

export interface KeyProjectInput {
  campaign_id: number
  code?: string
  leader_id?: number
  lead_unit_id?: number
  level?: string
}

export interface StageFigures {
  stage: Stage
  label: string
  count: number
  amount_wan: number
  converted: number
  conversion: number | null
  median_days: number | null
}

export interface PipelineFigures {
  leads: number
  attracted: number
  signed_above_billion: number
  top500_investors: number
  dropped: number
  funnel: StageFigures[]
  by_sector: { sector: string; stages: StageFigures[] }[]
  stalled_days: number
  stalled: { id: number; code: string; project: string; stage: Stage; stage_on: string; days: number }[]
}

export interface CodeCheck {
  code: string
  valid: boolean
  message: string
}

export const enterpriseApi = {
  list: (q: Q, opts?: { signal?: AbortSignal }) => http.get<{ items: Enterprise[]; total: number }>('/enterprises', q, opts),
  get: (id: number) => http.get<Enterprise>(`/enterprises/${id}`),
  create: (body: EnterpriseInput) => http.post<Enterprise>('/enterprises', body, { silent: true }),
  update: (id: number, version: number, body: EnterpriseInput) => http.put<Enterprise>(`/enterprises/${id}`, version, body, { silent: true }),
  checkCode: (code: string) => http.get<CodeCheck>('/enterprises/check-code', { code }, { silent: true }),
  exportUrl: (q: Q) => `/api/v1/enterprises/export${buildQuery(q)}`,

  visits: (q: Q, opts?: { signal?: AbortSignal }) => http.get<{ items: Visit[]; total: number }>('/visits', q, opts),
  createVisit: (body: VisitInput) => http.post<Visit>('/visits', body, { silent: true }),
  addProblems: (id: number, problems: ProblemInput[]) => http.post<Visit>(`/visits/${id}/problems`, { problems }, { silent: true }),
  visitFigures: (q: Q) => http.get<VisitFigures>('/visits/figures', q),
  visitsExportUrl: (q: Q) => `/api/v1/visits/export${buildQuery(q)}`,

  needs: (q: Q, opts?: { signal?: AbortSignal }) => http.get<NeedList>('/financing-needs', q, opts),
  createNeed: (body: { enterprise_id: number; amount_requested_wan: number; purpose?: string; requested_on?: string }) =>
    http.post<Need>('/financing-needs', body, { silent: true }),
  stepNeed: (id: number, version: number, step: 'match' | 'grant' | 'decline', body: Record<string, unknown>) =>
    http.post<Need>(`/financing-needs/${id}/${step}`, body, { silent: true, version }),
  financingFigures: (q: Q) => http.get<FinancingFigures>('/financing-needs/figures', q),
  needsExportUrl: (q: Q) => `/api/v1/financing-needs/export${buildQuery(q)}`,

  leads: (q: Q, opts?: { signal?: AbortSignal }) => http.get<LeadList>('/leads', q, opts),
  createLead: (body: LeadInput) => http.post<Lead>('/leads', body, { silent: true }),
  advance: (id: number, version: number, body: { stage: Stage; on?: string; item?: KeyProjectInput; note?: string }) =>
    http.post<Lead>(`/leads/${id}/advance`, body, { silent: true, version }),
  drop: (id: number, version: number, body: { reason: string; on?: string }) => http.post<Lead>(`/leads/${id}/drop`, body, { silent: true, version }),
  pipelineFigures: (q: Q) => http.get<PipelineFigures>('/leads/figures', q),
  leadsExportUrl: (q: Q) => `/api/v1/leads/export${buildQuery(q)}`,
}
