// 台账: ledger definitions, their rows with history, figures (counts and
// sums, grouped, as of a day), targets linked to figures, and the Excel
// round trip (template, import, export).
import { ApiError, http, buildQuery } from './http'
import type { List } from './types'

export type FieldType =
  | 'text' | 'number' | 'amount_wan' | 'area' | 'date' | 'choice' | 'unit' | 'zone' | 'enterprise' | 'item' | 'location'

export const fieldTypes: FieldType[] = ['text', 'number', 'amount_wan', 'area', 'date', 'choice', 'unit', 'zone', 'enterprise', 'item', 'location']

export interface LedgerField {
  key: string
  label: string
  type: FieldType
  unit?: string
  options?: string[]
  required?: boolean
  counted?: boolean
  summed?: boolean
  note?: string
  archived?: boolean
}

export interface Ledger {
  id: number
  code: string
  name: string
  owner_unit_id: number
  owner_unit_name: string
  description: string
  fields: LedgerField[]
  key_field: string
  date_field: string
  revision: number
  rows: number
  can_write: boolean
  version: number
  updated_at: string
}

export interface LedgerInput {
  code: string
  name: string
  owner_unit_id: number
  description?: string
  fields: LedgerField[]
  key_field?: string
  date_field?: string
  note?: string
}

export interface LedgerRow {
  id: number
  ledger_id: number
  key: string
  period: string
  values: Record<string, unknown>
  labels: Record<string, string>
  revision: number
  version: number
  updated_at: string
}

export interface RowRevision {
  revision: number
  values: Record<string, unknown>
  labels: Record<string, string>
  deleted: boolean
  valid_from: string
  valid_to: string | null
  username: string
}

export interface FigureGroup {
  key: string
  label: string
  count: number
  sums: Record<string, number>
}

export interface LedgerFigures {
  count: number
  sums: { key: string; label: string; unit: string; value: number }[]
  group_by?: string
  groups: FigureGroup[]
  breakdowns: { field: string; label: string; groups: FigureGroup[] }[]
}

export interface TargetLink {
  id: number
  target_id: number
  target_name: string
  target_unit: string
  target_value: number
  deadline: string
  item_id: number
  item_code: string
  item_name: string
  measure: 'count' | 'sum' | 'share'
  field: string
  filter_field: string
  filter_value: string
  actual: number
  completion: number | null
  version: number
}

export interface ImportResult {
  dry_run: boolean
  created: number
  updated: number
  unchanged: number
  problems: { sheet: string; row: number; column: string; value: string; message: string }[]
}

export interface RowQuery {
  q?: string
  period_from?: string
  period_to?: string
  filter?: string[]
  sort?: string
  page?: number
  page_size?: number
}

/** A query string with repeated filter=key:value parameters. */
function rowQuery(q: RowQuery): string {
  const { filter, ...rest } = q
  let s = buildQuery(rest as Record<string, string | number>)
  for (const f of filter ?? []) s += `${s ? '&' : '?'}filter=${encodeURIComponent(f)}`
  return s
}

export const ledgersApi = {
  list: (q: { q?: string; page?: number; page_size?: number } = {}) => http.get<List<Ledger>>('/ledgers', q),
  get: (id: number) => http.get<Ledger>(`/ledgers/${id}`),
  create: (in_: LedgerInput) => http.post<Ledger>('/ledgers', in_, { silent: true }),
  update: (id: number, version: number, in_: LedgerInput) => http.put<Ledger>(`/ledgers/${id}`, version, in_, { silent: true }),
  rows: (id: number, q: RowQuery) => http.get<List<LedgerRow>>(`/ledgers/${id}/rows${rowQuery(q)}`),
  createRow: (id: number, values: Record<string, unknown>) => http.post<LedgerRow>(`/ledgers/${id}/rows`, { values }, { silent: true }),
  updateRow: (row: LedgerRow, values: Record<string, unknown>) =>
    http.put<LedgerRow>(`/ledger-rows/${row.id}`, row.version, { values }, { silent: true }),
  deleteRow: (row: LedgerRow) => http.del(`/ledger-rows/${row.id}`, row.version),
  history: (rowId: number) => http.get<List<RowRevision>>(`/ledger-rows/${rowId}/history`),
  figures: (id: number, q: { as_of?: string; group_by?: string }) => http.get<LedgerFigures>(`/ledgers/${id}/figures`, q),
  links: (id: number, asOf?: string) => http.get<List<TargetLink>>(`/ledgers/${id}/links`, { as_of: asOf }),
  createLink: (id: number, body: { target_id: number; measure: string; field?: string; filter_field?: string; filter_value?: string }) =>
    http.post<TargetLink>(`/ledgers/${id}/links`, body, { silent: true }),
  deleteLink: (link: TargetLink) => http.del(`/ledger-links/${link.id}`, link.version),
  templateUrl: (id: number) => `/api/v1/ledgers/${id}/template`,
  exportUrl: (id: number, q: RowQuery) => `/api/v1/ledgers/${id}/export${rowQuery({ ...q, page: undefined, page_size: undefined })}`,
  /** Uploads a workbook; a commit with problems rejects with ApiError whose problem lists them. */
  importFile: async (id: number, file: File, dryRun: boolean): Promise<ImportResult> => {
    const res = await fetch(`/api/v1/ledgers/${id}/import?dry_run=${dryRun}`, {
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
