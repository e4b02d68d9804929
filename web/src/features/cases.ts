// 督办: this feature's routes and side-menu entries. router.ts and AppShell
// gather every file of features/, so a feature touches no shared file.
import type { RouteRecordRaw } from 'vue-router'
import { Tickets } from '@element-plus/icons-vue'
import type { MenuEntry } from './types'

export const routes: RouteRecordRaw[] = [
  { path: 'cases', name: 'cases', component: () => import('@/pages/CasesPage.vue'), meta: { perm: 'case:read', menu: 'cases' } },
]

export const menu: MenuEntry[] = [{ key: 'cases', path: '/cases', perm: 'case:read', icon: Tickets }]
