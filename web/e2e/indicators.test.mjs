// Economic indicators, as their readers and the statistics office use them
// against a running `gongjian demo`: the district leader reads the first half
// of 2022 — the summary card says 7 of 12 main indicators rank in the city's
// top 3, the table shows value, growth, rank and the gap to the city, the
// charts show the ranking and the trend — and looks at the figures as known
// before a correction; the statistics office sees the import button, the
// viewer does not.
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { assertClean, launch, open, shot, signInAt } from './helpers.mjs'

let browser
before(async () => { browser = await launch() })
after(async () => { await browser?.close() })

/** Picks a month or day in an Element Plus date picker by typing it. */
async function typeDate(page, sel, text) {
  const input = page.locator(`${sel} input`).first()
  await input.click()
  await input.fill(text)
  await input.press('Enter')
}

describe('indicators', () => {
  test('区长 reads the first half of 2022: 7 of 12 in the top 3, ranks, growth, gap to the city, charts, and an as-of view', async () => {
    const { page, seen } = await open(browser)
    try {
      await signInAt(page, 'quzhang', '/indicators')
      await page.locator('[data-test=ind-table] .el-table__row').first().waitFor()
      await typeDate(page, '[data-test=ind-period]', '2022-06')
      const summary = page.locator('[data-test=ind-summary]')
      await summary.getByText('上半年，12项主要经济指标中7项居全市前三').waitFor()
      const sentences = page.locator('[data-test=ind-sentences]')
      await sentences.getByText('社会消费品零售总额344.4亿元').first().waitFor()
      assert.match(await sentences.innerText(), /一般公共预算收入46亿元，同比增长4\.5%，增速高于全市平均3\.2个百分点/)
      assert.match(await sentences.innerText(), /超出市级引导性目标29\.5个百分点/)
      const retail = page.locator('[data-test=ind-table] .el-table__row').filter({ hasText: '社会消费品零售总额' })
      assert.match(await retail.innerText(), /344\.4亿元[\s\S]*第1/)
      await page.locator('[data-test=ind-rank-chart] canvas').waitFor()
      await shot(page, 'indicators-2022-06')
      // Pick construction output: the charts follow the selected row.
      await page.locator('[data-test=ind-table] .el-table__row').filter({ hasText: '建筑业总产值' }).click()
      await page.locator('[data-test=ind-rank-chart]').getByText('建筑业总产值：各区市排名').waitFor()
      await page.locator('[data-test=ind-trend-chart]').scrollIntoViewIfNeeded()
      await shot(page, 'indicators-charts')
      // As known on 22 July 2022 the half-year revenue was the first estimate, 45.8亿元.
      await typeDate(page, '[data-test=ind-asof]', '2022-07-22')
      await page.locator('[data-test=ind-table] .el-table__row').filter({ hasText: '45.8亿元' }).waitFor()
      // Reading only: no import button for the leader.
      assert.equal(await page.locator('[data-test=ind-import]').count(), 0)
      await assertClean(assert, seen)
    } finally {
      await page.context().close()
    }
  })

  test('统计局 sees the Excel import and the export link of the statistics layout', async () => {
    const { page, seen } = await open(browser)
    try {
      await signInAt(page, 'tongjiju', '/indicators')
      await page.locator('[data-test=ind-table] .el-table__row').first().waitFor()
      await page.locator('[data-test=ind-import]').waitFor()
      const href = await page.locator('[data-test=ind-export]').getAttribute('href')
      assert.match(href, /\/api\/v1\/indicator-table\/export\?periods=2022-09/)
      const r = await page.request.get(href.startsWith('http') ? href : new URL(href, page.url()).toString())
      assert.equal(r.status(), 200)
      await assertClean(assert, seen)
    } finally {
      await page.context().close()
    }
  })
})
