// Shared set-up for the browser journeys: Debian's Chromium driven by
// playwright-core, one context per journey, with everything a user would not
// want to see collected: console errors, page errors, CSP violations and any
// request that leaves the server.
import { mkdirSync } from 'node:fs'
import { chromium } from 'playwright-core'

export const BASE = (process.env.GONGJIAN_URL || 'http://127.0.0.1:8080').replace(/\/$/, '')
export const PASSWORD = process.env.GONGJIAN_PASSWORD || 'Gongjian@2022'
export const SHOTS = process.env.GONGJIAN_SHOTS || '/tmp/gj-shots'
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium'

export async function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  })
}

/** A fresh context (own cookies and localStorage) and page, with collectors. */
export async function open(browser, { lang } = {}) {
  // Reduced motion: charts draw at once (steady screenshots, less waiting).
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', reducedMotion: 'reduce' })
  if (lang) await context.addInitScript((l) => localStorage.setItem('gongjian.lang', l), lang)
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      const w = window
      w.__csp = w.__csp || []
      w.__csp.push(`${e.violatedDirective} ${e.blockedURI}`)
    })
  })
  const page = await context.newPage()
  page.setDefaultTimeout(15000)
  const seen = { errors: [], httpErrors: [], csp: [], outside: [] }
  const base = new URL(BASE)
  page.on('console', (m) => {
    if (m.type() !== 'error') return
    const text = m.text()
    if (/^Failed to load resource: the server responded with a status of \d+/.test(text)) seen.httpErrors.push(text)
    else seen.errors.push(text)
    if (/Content Security Policy|Refused to/i.test(text)) seen.csp.push(text)
  })
  page.on('pageerror', (e) => seen.errors.push(`pageerror: ${e.message}`))
  page.on('request', (r) => {
    const u = new URL(r.url())
    if (!['data:', 'blob:'].includes(u.protocol) && u.host !== base.host) seen.outside.push(r.url())
  })
  seen.cspInPage = async () => page.evaluate(() => window.__csp || []).catch(() => [])
  return { context, page, seen }
}

export async function signIn(page, username, password = PASSWORD) {
  await page.goto(`${BASE}/login`)
  await page.locator('input[data-test=username]').fill(username)
  await page.locator('input[data-test=password]').fill(password)
  await page.locator('[data-test=login-submit]').click()
  await page.waitForURL((u) => !u.pathname.startsWith('/login'))
  await page.locator('[data-test=side-menu]').waitFor()
}

/**
 * Signs in through the API and opens path: one page load, for journeys about
 * something else (signing in through the form has journeys of its own).
 */
export async function signInAt(page, username, path = '/', password = PASSWORD) {
  const r = await page.request.post(`${BASE}/api/v1/auth/login`, { data: { username, password } })
  if (!r.ok()) throw new Error(`sign-in of ${username}: HTTP ${r.status()}`)
  await page.goto(`${BASE}${path}`)
  await page.locator('[data-test=side-menu]').waitFor()
}

export async function shot(page, name) {
  mkdirSync(SHOTS, { recursive: true })
  await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: false })
}

/** Texts of the visible side-menu entries. */
export async function menuTexts(page) {
  return (await page.locator('[data-test=side-menu] .el-menu-item').allInnerTexts()).map((s) => s.trim())
}

/** Asserts the page showed no error, no CSP violation and fetched nothing outside. */
export async function assertClean(assert, seen, { allowHttp = false } = {}) {
  const csp = [...seen.csp, ...(await seen.cspInPage())]
  assert.deepEqual(csp, [], `CSP violations: ${csp.join('\n')}`)
  assert.deepEqual(seen.errors, [], `console errors: ${seen.errors.join('\n')}`)
  assert.deepEqual(seen.outside, [], `requests outside the server: ${seen.outside.join('\n')}`)
  if (!allowHttp) assert.deepEqual(seen.httpErrors, [], `failed requests: ${seen.httpErrors.join('\n')}`)
}

/** GET of the API with the page's session, as JSON (asserting success). */
export async function apiGet(page, path) {
  const r = await page.request.get(`${BASE}/api/v1${path}`)
  if (!r.ok()) throw new Error(`GET ${path}: HTTP ${r.status()}`)
  return r.json()
}

/** Waits for an Element Plus message with this text. */
export async function messageShown(page, text) {
  await page.locator('.el-message').filter({ hasText: text }).first().waitFor()
}

/** Waits until no CSS transition or animation runs (dialogs, drawers, masks), for steady screenshots. */
export async function settled(page) {
  await page.waitForFunction(() => document.getAnimations()
    .every((a) => a.playState !== 'running' || a.effect?.getComputedTiming().iterations === Infinity))
}
