// Ledgers (台账) as a supervisor goes through them against a running
// `gongjian demo`: the list of the district's registers; the idle-factory
// ledger with its figures, the linked 60% target and its history as of a
// past day; a new row that moves the figure; and the illegal-structures
// ledger whose figures are the article's 6,469 cases and 957,800 m².
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { BASE, apiGet as api, assertClean, launch, open, shot, signInAt } from './helpers.mjs'

let browser
before(async () => { browser = await launch() })
after(async () => { await browser?.close() })

/** Fills an Element Plus input (el-input, el-date-picker) found by its data-test, and presses Enter. */
async function fill(scope, dataTest, value) {
  const el = scope.locator(`[data-test=${dataTest}]`).first()
  const tag = await el.evaluate((n) => n.tagName)
  const input = ['INPUT', 'TEXTAREA'].includes(tag) ? el : el.locator('input, textarea').first()
  await input.fill(value)
  await input.press('Enter').catch(() => {})
}

describe('ledgers', () => {
  test('督查室 opens the ledgers, reads the article figures, adds a revitalised factory and sees the linked target move', async () => {
    const { context, page, seen } = await open(browser)
    try {
      await signInAt(page, 'duchashi', '/ledgers')
      await page.locator('[data-test=ledger-table]').getByText('违法建设拆除台账').waitFor()
      await shot(page, 'ledgers-list')

      // The illegal structures: 6,469 cases, 957,800 m² [A2].
      await page.locator('[data-test=ledger-WJCC]').click()
      await page.locator('[data-test=fig-count]').getByText('6,469').waitFor()
      assert.equal((await page.locator('[data-test=fig-sum-area]').innerText()).replace(/\s+/g, ' '), '957,800 m²')
      await page.locator('[data-test=ledger-chart]').waitFor()
      await shot(page, 'ledger-illegal-structures')

      // Idle factories: the share revitalised is ZX-01's actual.
      const ledgers = await api(page, '/ledgers?q=XZCF')
      const xzcf = ledgers.items[0]
      await page.goto(`${BASE}/ledgers/${xzcf.id}`)
      await page.locator('[data-test=ledger-links]').waitFor()
      const links = await api(page, `/ledgers/${xzcf.id}/links`)
      const target = links.items[0].target_id
      const before = links.items[0].actual
      assert.equal(await page.locator(`[data-test=link-actual-${target}]`).innerText(), before.toLocaleString('zh-CN', { maximumFractionDigits: 2 }))
      // As of the end of January nothing had been revitalised.
      await fill(page, 'ledger-as-of', '2022-01-31')
      await page.locator(`[data-test=link-actual-${target}]`).getByText('0', { exact: true }).waitFor()
      await fill(page, 'ledger-as-of', '')
      await page.locator(`[data-test=link-actual-${target}]`).getByText(String(before)).waitFor()
      await shot(page, 'ledger-idle-factories')

      // A new revitalised factory moves the share.
      await page.locator('[data-test=row-add]').click()
      const dlg = page.locator('[data-test=ledger-row-dialog]')
      await fill(dlg, 'row-name', '新增闲置厂房（e2e）')
      await dlg.locator('[data-test=row-state]').click()
      await page.locator('.el-select-dropdown__item').filter({ hasText: '已盘活' }).last().click()
      await fill(dlg, 'row-date', '2022-09-01')
      await shot(page, 'ledger-row-dialog')
      await dlg.locator('[data-test=row-save]').click()
      await dlg.waitFor({ state: 'hidden' })
      const after = (await api(page, `/ledgers/${xzcf.id}/links`)).items[0].actual
      assert.ok(after > before, `share revitalised ${before} → ${after}`)
      await page.locator(`[data-test=link-actual-${target}]`).getByText(String(after)).waitFor()

      // Its history, and the import dialog.
      await fill(page, 'rows-q', 'e2e')
      await page.locator('[data-test=rows-table]').getByText('新增闲置厂房（e2e）').waitFor()
      await page.locator('[data-test^=row-history-]').first().click()
      await page.locator('[data-test=row-history]').getByText('duchashi').first().waitFor()
      await shot(page, 'ledger-row-history')
      await page.keyboard.press('Escape')
      await page.locator('[data-test=ledger-import-open]').click()
      await page.locator('[data-test=ledger-import]').getByText('下载模板').first().waitFor({ state: 'attached' }).catch(() => {})
      await shot(page, 'ledger-import')
      await assertClean(assert, seen)
    } finally {
      await context.close()
    }
  })
})
