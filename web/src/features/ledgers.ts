// 台账: this feature's routes and side-menu entries. router.ts and AppShell
// gather every file of features/, so a feature touches no shared file.
import type { RouteRecordRaw } from 'vue-router'
import { Notebook } from '@element-plus/icons-vue'
import type { MenuEntry } from './types'

export const routes: RouteRecordRaw[] = [
  { path: 'ledgers', name: 'ledgers', component: () => import('@/pages/LedgersPage.vue'), meta: { perm: 'ledger:read', menu: 'ledgers' } },
  { path: 'ledgers/:id', name: 'ledger', component: () => import('@/pages/LedgerPage.vue'), meta: { perm: 'ledger:read', menu: 'ledgers' } },
]

export const menu: MenuEntry[] = [{ key: 'ledgers', path: '/ledgers', perm: 'ledger:read', icon: Notebook }]
