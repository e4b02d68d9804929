// 挂图作战: the campaign's items on the layout of its zones, coloured by light.
import type { RouteRecordRaw } from 'vue-router'
import { MapLocation } from '@element-plus/icons-vue'
import type { MenuEntry } from './types'

export const routes: RouteRecordRaw[] = [
  { path: 'map', name: 'map', component: () => import('@/pages/BattleMap.vue'), meta: { perm: 'item:read', menu: 'map' } },
]

export const menu: MenuEntry[] = [{ key: 'map', path: '/map', perm: 'item:read', icon: MapLocation }]
