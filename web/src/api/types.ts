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
  /** Reminders and case notifications of the unit are e-mailed here. */
  email?: string
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
  co_units: UnitRef[]
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

export interface UnitRef {
  id: number
  name: string
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

/** A count with investment sums: one number of the cockpit. */
export interface Figure {
  key: string
  label: string
  count: number
  total_investment_wan: number
  annual_investment_wan: number
}

/** A milestone with the item and accountability it belongs to. */
export interface MilestoneRow {
  id: number
  name: string
  planned_date: string
  actual_date?: string
  days_late?: number
  item_id: number
  item_code: string
  item_name: string
  item_type: string
  leader_name: string
  lead_unit_name: string
}

export interface Cockpit {
  campaign_id: number
  as_of: string
  by_type: Figure[]
  all_items: number
  key_projects_by_zone: Figure[]
  key_projects_by_level: Figure[]
  key_projects_by_state: Figure[]
  overdue_milestones: MilestoneRow[]
  due_soon_milestones: MilestoneRow[]
  recent_milestones: MilestoneRow[]
}

export interface ApiToken {
  id: number
  name: string
  scopes: string[]
  created_at: string
  expires_at: string | null
  last_used_at: string | null
  revoked: boolean
}
