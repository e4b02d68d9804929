// 企业服务: this feature's routes and side-menu entries. router.ts and AppShell
// gather every file of features/, so a feature touches no shared file.
import type { RouteRecordRaw } from 'vue-router'
import { Shop } from '@element-plus/icons-vue'
import type { MenuEntry } from './types'

export const routes: RouteRecordRaw[] = [
  { path: 'enterprises', name: 'enterprises', component: () => import('@/pages/EnterprisesPage.vue'), meta: { perm: 'enterprise:read', menu: 'enterprises' } },
]

export const menu: MenuEntry[] = [{ key: 'enterprises', path: '/enterprises', perm: 'enterprise:read', icon: Shop }]
