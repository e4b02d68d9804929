// 简报: this feature's routes and side-menu entries. router.ts and AppShell
// gather every file of features/, so a feature touches no shared file.
import type { RouteRecordRaw } from 'vue-router'
import { Reading, Trophy } from '@element-plus/icons-vue'
import type { MenuEntry } from './types'

export const routes: RouteRecordRaw[] = [
  { path: 'briefings', name: 'briefings', component: () => import('@/pages/BriefingsPage.vue'), meta: { perm: 'briefing:read', menu: 'briefings' } },
  { path: 'briefings/:id(\\d+)', name: 'briefing', component: () => import('@/pages/BriefingPage.vue'), meta: { perm: 'briefing:read', menu: 'briefings' } },
  { path: 'briefings/:id(\\d+)/print', name: 'briefing-print', component: () => import('@/pages/BriefingPrint.vue'), meta: { perm: 'briefing:read', menu: 'briefings' } },
  { path: 'league', name: 'league', component: () => import('@/pages/LeaguePage.vue'), meta: { perm: 'briefing:read', menu: 'league' } },
]

export const menu: MenuEntry[] = [
  { key: 'briefings', path: '/briefings', perm: 'briefing:read', icon: Reading },
  { key: 'league', path: '/league', perm: 'briefing:read', icon: Trophy },
]
