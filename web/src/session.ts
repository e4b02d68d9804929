// The signed-in user, their permissions and the selected campaign, shared by
// the shell and the pages.
import { reactive } from 'vue'
import { authApi, campaignApi } from '@/api'
import type { Campaign, User } from '@/api'

const CAMPAIGN_KEY = 'gongjian.campaign'

export const session = reactive({
  user: null as User | null,
  permissions: [] as string[],
  campaigns: [] as Campaign[],
  campaignId: 0,
  loaded: false,
})

export function can(perm: string): boolean {
  return session.permissions.includes(perm)
}

/** The account has a generated or reset password and may do nothing else until it changes it. */
export function mustChangePassword(): boolean {
  return !!session.user?.must_change_password
}

/** Loads the user and campaigns; false when nobody is signed in. */
export async function loadSession(): Promise<boolean> {
  try {
    const me = await authApi.me()
    session.user = me.user
    session.permissions = me.permissions
  } catch {
    clearSession()
    return false
  }
  if (session.user.must_change_password) {
    // Everything but the password change is refused until then.
    session.campaigns = []
    session.campaignId = 0
    session.loaded = true
    return true
  }
  try {
    const cs = await campaignApi.list()
    session.campaigns = [...cs.items].sort((a, b) => b.year - a.year || b.id - a.id)
  } catch {
    session.campaigns = []
  }
  const saved = Number(localStorage.getItem(CAMPAIGN_KEY) || 0)
  const ids = session.campaigns.map((c) => c.id)
  session.campaignId = ids.includes(saved) ? saved : (ids[0] ?? 0)
  session.loaded = true
  return true
}

export function setCampaign(id: number) {
  if (!session.campaigns.some((c) => c.id === id)) return
  session.campaignId = id
  try {
    localStorage.setItem(CAMPAIGN_KEY, String(id))
  } catch {
    /* ignore */
  }
}

/** Reloads the user and campaigns (after a password change, say). */
export async function reloadSession(): Promise<boolean> {
  session.loaded = false
  return loadSession()
}

export function clearSession() {
  session.user = null
  session.permissions = []
  session.campaigns = []
  session.loaded = false
}
