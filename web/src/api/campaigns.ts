// Campaign settings (攻坚年设置): campaigns and their zones, created and
// edited by supervisors and admins (campaign:edit).
import { http } from './http'
import type { Campaign, Zone } from './types'

/** A campaign as GET /campaigns/{id} gives it, with its report due days. */
export type CampaignFull = Campaign & { report_due_days: number }

export interface CampaignInput {
  code: string
  name: string
  year: number
  start_date: string
  end_date: string
  cadence: 'weekly' | 'monthly'
  report_due_days: number
  description: string
}

export interface ZoneInput {
  campaign_id: number
  code: string
  name: string
  kind: 'zone' | 'area' | 'grid'
  parent_id?: number
  commander_id?: number
  description: string
}

export const campaignsApi = {
  get: (id: number) => http.get<CampaignFull>(`/campaigns/${id}`),
  create: (body: CampaignInput) => http.post<CampaignFull>('/campaigns', body, { silent: true }),
  update: (id: number, version: number, body: CampaignInput) => http.put<CampaignFull>(`/campaigns/${id}`, version, body, { silent: true }),
  zone: (id: number) => http.get<Zone>(`/zones/${id}`),
  createZone: (body: ZoneInput) => http.post<Zone>('/zones', body, { silent: true }),
  updateZone: (id: number, version: number, body: ZoneInput) => http.put<Zone>(`/zones/${id}`, version, body, { silent: true }),
}
