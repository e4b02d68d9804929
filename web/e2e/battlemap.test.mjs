// 挂图作战: a leader opens the battle map; every top-level item of the
// campaign is on it, counted by light as the lights API counts them, on the
// day picked; nothing is loaded from outside the server (no map tiles).
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { BASE, assertClean, launch, open, shot, signInAt } from './helpers.mjs'

let browser
before(async () => { browser = await launch() })
after(async () => { await browser?.close() })

async function counts(page, asOf) {
  const cs = await (await page.request.get(`${BASE}/api/v1/campaigns`)).json()
  const id = cs.items.sort((a, b) => b.year - a.year)[0].id
  const q = asOf ? `&as_of=${asOf}` : ''
  const l = await (await page.request.get(`${BASE}/api/v1/lights?campaign_id=${id}&top_level=true${q}`)).json()
  const c = { red: 0, yellow: 0, green: 0 }
  for (const it of l.items) c[it.light]++
  return c
}

describe('battle map', () => {
  test('区长 sees every item in his charge by light, and the map of a past day', async () => {
    const { page, seen } = await open(browser)
    try {
      await signInAt(page, 'quzhang', '/')
      await page.locator('[data-test=menu-map]').click()
      await page.waitForURL(/\/map/)
      await page.locator('[data-test=map-chart] canvas').waitFor()
      const want = await counts(page)
      assert.ok(want.red + want.yellow + want.green > 0, 'the leader has items on the map')
      for (const l of ['red', 'yellow', 'green']) {
        assert.equal(await page.locator(`[data-test=map-count-${l}]`).innerText(), String(want[l]), `${l} count`)
      }
      await shot(page, 'battle-map')

      // Mid-year, the lights were different; the map follows the day picked.
      const past = await counts(page, '2022-06-30')
      const picker = page.locator('.battle-map .as-of-picker input')
      await picker.fill('2022-06-30')
      await picker.press('Enter')
      await page.locator('[data-test=map-count-red]').filter({ hasText: String(past.red) }).waitFor()
      assert.equal(await page.locator('[data-test=map-count-green]').innerText(), String(past.green))
      await page.locator('[data-test=map-size] label').nth(1).click()
      await shot(page, 'battle-map-2022-06-30')
      await assertClean(assert, seen)
    } finally {
      await page.context().close()
    }
  })
})
