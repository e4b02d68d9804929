import { createRouter, createWebHistory } from 'vue-router'
import type { RouteRecordRaw } from 'vue-router'
import { session, loadSession, can, clearSession } from '@/session'
import { onUnauthorized } from '@/api/http'
import AppShell from '@/components/AppShell.vue'

// Each page is its own chunk, so ECharts loads only with the cockpit.
// meta.perm hides a page (and its menu entry) from roles without that permission.
const routes: RouteRecordRaw[] = [
  { path: '/login', name: 'login', component: () => import('@/pages/LoginPage.vue'), meta: { public: true } },
  {
    path: '/',
    component: AppShell,
    children: [
      { path: '', name: 'cockpit', component: () => import('@/pages/CockpitPage.vue'), meta: { perm: 'item:read', menu: 'cockpit' } },
      { path: 'items', name: 'items', component: () => import('@/pages/ItemsPage.vue'), meta: { perm: 'item:read', menu: 'items' } },
      { path: 'items/:id(\\d+)', name: 'item', component: () => import('@/pages/ItemPage.vue'), meta: { perm: 'item:read', menu: 'items' } },
      { path: 'org', name: 'org', component: () => import('@/pages/OrgPage.vue'), meta: { perm: 'org:read', menu: 'org' } },
      { path: 'campaigns', name: 'campaigns', component: () => import('@/pages/CampaignsPage.vue'), meta: { perm: 'campaign:read', menu: 'campaigns' } },
      { path: 'audit', name: 'audit', component: () => import('@/pages/AuditPage.vue'), meta: { perm: 'audit:read', menu: 'audit' } },
      { path: 'users', name: 'users', component: () => import('@/pages/UsersPage.vue'), meta: { perm: 'user:manage', menu: 'users' } },
      { path: 'forbidden', name: 'forbidden', component: () => import('@/pages/NotFoundPage.vue'), props: { forbidden: true } },
      { path: ':rest(.*)*', name: 'not-found', component: () => import('@/pages/NotFoundPage.vue') },
    ],
  },
]

export const router = createRouter({
  history: createWebHistory(),
  routes,
  scrollBehavior: () => ({ top: 0 }),
})

router.beforeEach(async (to) => {
  if (to.meta.public) return true
  if (!session.loaded && !(await loadSession())) {
    return { name: 'login', query: to.fullPath !== '/' ? { redirect: to.fullPath } : {} }
  }
  const perm = to.meta.perm as string | undefined
  if (perm && !can(perm)) return { name: 'forbidden' }
  return true
})

onUnauthorized(() => {
  const cur = router.currentRoute.value
  clearSession()
  if (cur.name !== 'login') {
    router.push({ name: 'login', query: { redirect: cur.fullPath, expired: '1' } })
  }
})
