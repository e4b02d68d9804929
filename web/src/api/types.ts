// Shapes of the API's JSON (see /api/openapi.json).
export interface List<T> {
  items: T[]
  total: number
}

export interface User {
  id: number
  username: string
  display_name: string
  role: string
  role_label: string
  unit_id: number
  unit_name: string
  person_id: number | null
  must_change_password: boolean
  disabled: boolean
  version: number
  created_at: string
  updated_at: string
}

export interface Me {
  user: User
  permissions: string[]
}

export interface Campaign {
  id: number
  code: string
  name: string
  year: number
  start_date: string
  end_date: string
  cadence: string
  description: string
  version: number
}

export interface Zone {
  id: number
  campaign_id: number
  code: string
  name: string
  kind: string
  parent_id: number | null
  commander_id: number | null
  commander_name: string
  description: string
  version: number
}

export interface Unit {
  id: number
  code: string
  name: string
  kind: string
  parent_id: number | null
  sort_order: number
  version: number
}

export interface Person {
  id: number
  code: string
  name: string
  title: string
  unit_id: number | null
  unit_name?: string
  phone: string
  version: number
}

export interface Item {
  id: number
  campaign_id: number
  code: string
  name: string
  type: string
  level: string
  state: string
  parent_id: number | null
  zone_id: number | null
  zone_name: string
  leader_id: number
  leader_name: string
  lead_unit_id: number
  lead_unit_name: string
  co_unit_ids: number[]
  work_plan: string
  total_investment_wan: number
  annual_investment_wan: number
  start_date: string
  end_date: string
  location: string
  illustrative: boolean
  note: string
  child_count: number
  version: number
  created_at: string
  updated_at: string
}

export interface ItemList extends List<Item> {
  total_investment_wan: number
  annual_investment_wan: number
}

export interface Milestone {
  id: number
  item_id: number
  name: string
  kind: string
  planned_date: string
  actual_date?: string
  state: 'pending' | 'done' | 'overdue'
  sort_order: number
  version: number
}

export interface Target {
  id: number
  item_id: number
  name: string
  unit: string
  baseline: number
  value: number
  deadline: string
  direction: string
  version: number
}

export interface AuditRecord {
  id: number
  at: string
  user_id?: number
  username: string
  ip?: string
  action: string
  entity: string
  entity_id: string
  before?: string
  after?: string
  prev_hash: string
  hash: string
}

export interface VerifyResult {
  checked: number
  ok: boolean
  problems: { id: number; reason: string }[]
}
