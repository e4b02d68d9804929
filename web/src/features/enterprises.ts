// 企业服务: this feature's routes and side-menu entries. router.ts and AppShell
// gather every file of features/, so a feature touches no shared file.
import type { RouteRecordRaw } from 'vue-router'
import { Shop, Van, Wallet, TrendCharts } from '@element-plus/icons-vue'
import type { MenuEntry } from './types'

export const routes: RouteRecordRaw[] = [
  { path: 'enterprises', name: 'enterprises', component: () => import('@/pages/EnterprisesPage.vue'), meta: { perm: 'enterprise:read', menu: 'enterprises' } },
  { path: 'enterprises/:id(\\d+)', name: 'enterprise', component: () => import('@/pages/EnterprisePage.vue'), meta: { perm: 'enterprise:read', menu: 'enterprises' } },
  { path: 'visits', name: 'visits', component: () => import('@/pages/VisitsPage.vue'), meta: { perm: 'enterprise:read', menu: 'visits' } },
  { path: 'financing', name: 'financing', component: () => import('@/pages/FinancingPage.vue'), meta: { perm: 'enterprise:read', menu: 'financing' } },
  { path: 'pipeline', name: 'pipeline', component: () => import('@/pages/PipelinePage.vue'), meta: { perm: 'enterprise:read', menu: 'pipeline' } },
]

export const menu: MenuEntry[] = [
  { key: 'enterprises', path: '/enterprises', perm: 'enterprise:read', icon: Shop },
  { key: 'visits', path: '/visits', perm: 'enterprise:read', icon: Van },
  { key: 'financing', path: '/financing', perm: 'enterprise:read', icon: Wallet },
  { key: 'pipeline', path: '/pipeline', perm: 'enterprise:read', icon: TrendCharts },
]
