import { createRouter, createWebHistory } from 'vue-router'
import type { RouteRecordRaw } from 'vue-router'
import { session, loadSession, can, clearSession, mustChangePassword } from '@/session'
import { onPasswordChangeRequired, onUnauthorized } from '@/api/http'
import AppShell from '@/components/AppShell.vue'
import { featureRoutes } from '@/features'

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
      // 进展填报与亮灯
      { path: 'lights', name: 'lights', component: () => import('@/pages/Lights.vue'), meta: { perm: 'item:read', menu: 'lights' } },
      { path: 'desk', name: 'desk', component: () => import('@/pages/MyDesk.vue'), meta: { perm: 'report:write', menu: 'desk' } },
      { path: 'reports/:item(\\d+)/:period', name: 'report-form', component: () => import('@/pages/ReportForm.vue'), meta: { perm: 'item:read', menu: 'desk' } },
      { path: 'review', name: 'review', component: () => import('@/pages/ReviewDesk.vue'), meta: { perm: 'report:review', menu: 'review' } },
      { path: 'rules', name: 'rules', component: () => import('@/pages/Rules.vue'), meta: { perm: 'report:review', menu: 'rules' } },
      ...featureRoutes,
      { path: 'org', name: 'org', component: () => import('@/pages/OrgPage.vue'), meta: { perm: 'org:read', menu: 'org' } },
      { path: 'campaigns', name: 'campaigns', component: () => import('@/pages/CampaignsPage.vue'), meta: { perm: 'campaign:read', menu: 'campaigns' } },
      { path: 'audit', name: 'audit', component: () => import('@/pages/AuditPage.vue'), meta: { perm: 'audit:read', menu: 'audit' } },
      { path: 'users', name: 'users', component: () => import('@/pages/UsersPage.vue'), meta: { perm: 'user:manage', menu: 'users' } },
      // 个人设置: one page, a tab per route (meta.view keeps it mounted across the tabs).
      { path: 'account/password', name: 'password', component: () => import('@/pages/AccountPage.vue'), meta: { perm: 'self', view: 'account' } },
      { path: 'account/tokens', name: 'tokens', component: () => import('@/pages/AccountPage.vue'), meta: { perm: 'self', view: 'account' } },
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
  // A generated or reset password must be changed before anything else.
  if (mustChangePassword() && to.name !== 'password') {
    return { name: 'password', query: to.fullPath !== '/' ? { redirect: to.fullPath } : {} }
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

onPasswordChangeRequired(() => {
  if (session.user) session.user.must_change_password = true
  const cur = router.currentRoute.value
  if (cur.name !== 'password' && cur.name !== 'login') {
    router.push({ name: 'password', query: cur.fullPath !== '/' ? { redirect: cur.fullPath } : {} })
  }
})
