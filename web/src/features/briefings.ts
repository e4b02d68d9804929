// 简报: this feature's routes and side-menu entries. router.ts and AppShell
// gather every file of features/, so a feature touches no shared file.
import type { RouteRecordRaw } from 'vue-router'
import { Reading } from '@element-plus/icons-vue'
import type { MenuEntry } from './types'

export const routes: RouteRecordRaw[] = [
  { path: 'briefings', name: 'briefings', component: () => import('@/pages/BriefingsPage.vue'), meta: { perm: 'briefing:read', menu: 'briefings' } },
]

export const menu: MenuEntry[] = [{ key: 'briefings', path: '/briefings', perm: 'briefing:read', icon: Reading }]
