// Exports, as a user takes them against a running `gongjian demo`
// (GONGJIAN_URL): on the 亮灯 page with the red lights picked, the CSV link
// downloads the red items as UTF-8 CSV with a byte order mark (so Excel and
// WPS read the Chinese right) and the Excel link the same list as a
// workbook; the other lists carry the same two links.
import { readFile } from 'node:fs/promises'
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { assertClean, launch, open, shot, signInAt } from './helpers.mjs'

let browser
before(async () => { browser = await launch() })
after(async () => { await browser?.close() })

/** Clicks a download link and answers the download and its bytes. */
async function download(page, selector) {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.locator(selector).click()])
  const path = await dl.path()
  return { name: dl.suggestedFilename(), body: await readFile(path) }
}

describe('exports', () => {
  test('督查室 exports the red lights as CSV (BOM, Chinese header) and as Excel; units, zones and users have the same links', async () => {
    const { context, page, seen } = await open(browser)
    try {
      await signInAt(page, 'duchashi', '/lights')
      await page.locator('[data-test=light-table] .el-table__row').first().waitFor()
      await page.locator('[data-test=count-red]').click()
      await page.waitForURL(/light=red/)
      const reds = Number(await page.locator('[data-test=count-red] [data-test=count-n]').innerText())
      assert.ok(reds > 0, 'the demo has red lights')

      // The links carry the filter in force; CSV is the same query with format=csv.
      const csvHref = await page.locator('[data-test=light-export-csv]').getAttribute('href')
      assert.match(csvHref ?? '', /\/api\/v1\/lights\/export\?.*light=red.*format=csv$/)
      await shot(page, 'exports-lights')

      const csv = await download(page, '[data-test=light-export-csv]')
      assert.match(csv.name, /^gongjian-lights-.*\.csv$/)
      assert.deepEqual([...csv.body.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'the CSV starts with the UTF-8 byte order mark')
      const lines = csv.body.subarray(3).toString('utf8').split('\r\n').filter((l) => l !== '')
      assert.ok(lines[0].startsWith('事项编码,事项名称,灯色,亮灯原因,完成率,序时进度,牵头单位,责任领导,人工调整'), `header: ${lines[0]}`)
      assert.equal(lines.length - 1, reds, 'one line per red item')
      assert.ok(lines.slice(1).every((l) => l.includes(',红灯,')), 'only red items')

      const xlsx = await download(page, '[data-test=light-export]')
      assert.match(xlsx.name, /\.xlsx$/)
      assert.equal(xlsx.body.subarray(0, 2).toString('latin1'), 'PK', 'the Excel file is a workbook')

      // Other lists: units and zones for the supervisor.
      await page.goto(`${page.url().split('/lights')[0]}/org`)
      await page.locator('[data-test=unit-export-csv]').waitFor()
      await shot(page, 'exports-org')
      await page.goto(`${page.url().split('/org')[0]}/campaigns`)
      await page.locator('[data-test=zone-export]').waitFor()
      assert.match(await page.locator('[data-test=zone-export]').getAttribute('href') ?? '', /\/api\/v1\/zones\/export\?campaign_id=\d+/)
      await shot(page, 'exports-campaigns')
      await assertClean(assert, seen)
    } finally {
      await context.close()
    }
    const admin = await open(browser)
    try {
      await signInAt(admin.page, 'admin', '/users')
      await admin.page.locator('[data-test=user-export-csv]').waitFor()
      await shot(admin.page, 'exports-users')
      await assertClean(assert, admin.seen)
    } finally {
      await admin.context.close()
    }
  })
})
