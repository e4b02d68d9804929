// 督办: this feature's routes and side-menu entries. router.ts and AppShell
// gather every file of features/, so a feature touches no shared file.
import type { RouteRecordRaw } from 'vue-router'
import { DataAnalysis, Tickets, Calendar } from '@element-plus/icons-vue'
import type { MenuEntry } from './types'

export const routes: RouteRecordRaw[] = [
  { path: 'cases', name: 'cases', component: () => import('@/pages/CasesPage.vue'), meta: { perm: 'case:read', menu: 'cases' } },
  { path: 'cases/stats', name: 'case-stats', component: () => import('@/pages/CaseStats.vue'), meta: { perm: 'case:read', menu: 'caseStats' } },
  { path: 'cases/:id(\\d+)', name: 'case', component: () => import('@/pages/CasePage.vue'), meta: { perm: 'case:read', menu: 'cases' } },
  { path: 'stocktake', name: 'stocktake', component: () => import('@/pages/Stocktake.vue'), meta: { perm: 'case:read', menu: 'stocktake' } },
]

export const menu: MenuEntry[] = [
  { key: 'cases', path: '/cases', perm: 'case:read', icon: Tickets },
  { key: 'stocktake', path: '/stocktake', perm: 'case:read', icon: Calendar },
  { key: 'caseStats', path: '/cases/stats', perm: 'case:read', icon: DataAnalysis },
]
