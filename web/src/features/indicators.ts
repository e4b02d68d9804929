// 经济指标: this feature's routes and side-menu entries. router.ts and AppShell
// gather every file of features/, so a feature touches no shared file.
import type { RouteRecordRaw } from 'vue-router'
import { Histogram } from '@element-plus/icons-vue'
import type { MenuEntry } from './types'

export const routes: RouteRecordRaw[] = [
  { path: 'indicators', name: 'indicators', component: () => import('@/pages/IndicatorsPage.vue'), meta: { perm: 'indicator:read', menu: 'indicators' } },
]

export const menu: MenuEntry[] = [{ key: 'indicators', path: '/indicators', perm: 'indicator:read', icon: Histogram }]
