// One function per API call, grouped by concept. Pages import from here.
import { buildQuery, http } from './http'
import type {
  ApiToken, AuditRecord, Campaign, Cockpit, Item, ItemList, List, Me, Milestone, Person, Target, Unit, User, VerifyResult, Zone,
} from './types'

export * from './types'
export { ApiError, problemText, fieldText } from './http'

export interface ItemQuery {
  campaign_id?: number
  type?: string
  level?: string
  state?: string
  zone_id?: number
  /** Only items in no zone. */
  no_zone?: boolean
  unit_id?: number
  leader_id?: number
  parent_id?: number
  top_level?: boolean
  q?: string
  sort?: string
  page?: number
  page_size?: number
}

export const authApi = {
  login: (username: string, password: string) =>
    http.post<{ user: User; expires_at: string }>('/auth/login', { username, password }, { silent: true }),
  logout: () => http.post<void>('/auth/logout', {}, { silent: true }),
  me: () => http.get<Me>('/auth/me', undefined, { silent: true }),
  changePassword: (oldPassword: string, newPassword: string) =>
    http.post<void>('/auth/password', { old_password: oldPassword, new_password: newPassword }, { silent: true }),
  logoutEverywhere: () => http.post<void>('/auth/logout-all', {}),
  tokens: () => http.get<List<ApiToken>>('/auth/tokens'),
  createToken: (body: { name: string; scopes: string[]; expires_in_days?: number }) =>
    http.post<{ token: ApiToken; secret: string }>('/auth/tokens', body, { silent: true }),
  revokeToken: (id: number) => http.remove(`/auth/tokens/${id}`),
}

export interface UserUpdate {
  display_name: string
  role: string
  unit_id: number
  person_id?: number
  disabled: boolean
}

export const usersApi = {
  list: () => http.get<List<User>>('/users'),
  get: (id: number) => http.get<User>(`/users/${id}`),
  create: (body: Record<string, unknown>) =>
    http.post<{ user: User; password?: string }>('/users', body, { silent: true }),
  update: (id: number, version: number, body: UserUpdate) => http.put<User>(`/users/${id}`, version, body, { silent: true }),
  resetPassword: (id: number) => http.post<{ password: string }>(`/users/${id}/reset-password`, {}),
}

export const cockpitApi = {
  get: (campaignId: number, asOf?: string, opts: { signal?: AbortSignal } = {}) =>
    http.get<Cockpit>('/cockpit', { campaign_id: campaignId, as_of: asOf }, opts),
}

export const orgApi = {
  units: (q?: { q?: string; kind?: string }) => http.get<List<Unit>>('/units', q),
  createUnit: (body: Record<string, unknown>) => http.post<Unit>('/units', body, { silent: true }),
  updateUnit: (id: number, version: number, body: Record<string, unknown>) =>
    http.put<Unit>(`/units/${id}`, version, body, { silent: true }),
  getUnit: (id: number) => http.get<Unit>(`/units/${id}`),
  persons: (q?: { q?: string; unit_id?: number }) => http.get<List<Person>>('/persons', q),
  createPerson: (body: Record<string, unknown>) => http.post<Person>('/persons', body, { silent: true }),
  updatePerson: (id: number, version: number, body: Record<string, unknown>) =>
    http.put<Person>(`/persons/${id}`, version, body, { silent: true }),
  getPerson: (id: number) => http.get<Person>(`/persons/${id}`),
}

export const campaignApi = {
  list: () => http.get<List<Campaign>>('/campaigns'),
  zones: (campaignId?: number) => http.get<List<Zone>>('/zones', { campaign_id: campaignId }),
}

export const itemApi = {
  list: (q: ItemQuery, opts: { signal?: AbortSignal } = {}) =>
    http.get<ItemList>('/items', q as Record<string, string | number | boolean | undefined>, opts),
  get: (id: number) => http.get<Item>(`/items/${id}`),
  create: (body: Record<string, unknown>) => http.post<Item>('/items', body, { silent: true }),
  update: (id: number, version: number, body: Record<string, unknown>) =>
    http.put<Item>(`/items/${id}`, version, body, { silent: true }),
  milestones: (id: number) => http.get<List<Milestone>>(`/items/${id}/milestones`),
  targets: (id: number) => http.get<List<Target>>(`/items/${id}/targets`),
}

export const auditApi = {
  list: (q: { entity?: string; entity_id?: string; user_id?: number; page?: number; page_size?: number }) =>
    http.get<List<AuditRecord>>('/audit', q),
  verify: () => http.get<VerifyResult>('/audit/verify'),
  /** The .xlsx export's address, for a plain link: the browser downloads it with the session cookie. */
  exportUrl: (q: { entity?: string; entity_id?: string; user_id?: number }) => `/api/v1/audit/export${buildQuery(q)}`,
}
