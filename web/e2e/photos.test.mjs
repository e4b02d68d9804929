// Site photos on a report, as 区住建局's reporter adds them against a running
// `gongjian demo` (GONGJIAN_URL): open a due report, upload a phone photo
// (web/e2e/fixtures/site.jpg, taken 20 Dec 2022 10:15 Beijing time with a
// GPS fix), see its thumbnail, capture time and "有定位", save the draft and
// find the photo listed with the report; a file that is not a photo is
// refused by name. The demo's big construction projects show their site
// photos on their November reports.
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { fileURLToPath } from 'node:url'
import { BASE, apiGet as api, assertClean, launch, open, shot, signInAt } from './helpers.mjs'

const FIXTURE = fileURLToPath(new URL('./fixtures/site.jpg', import.meta.url))

let browser
before(async () => { browser = await launch() })
after(async () => { await browser?.close() })

describe('report photos', () => {
  test('the demo\'s big construction projects show their site photos on the November report', async () => {
    const { context, page, seen } = await open(browser)
    try {
      await signInAt(page, 'duchashi', '/')
      const cid = (await api(page, '/campaigns')).items.sort((a, b) => b.year - a.year)[0].id
      const item = (await api(page, `/items?campaign_id=${cid}&q=XM-001&page_size=10`)).items.find((i) => i.code === 'XM-001')
      assert.ok(item, 'the demo has 芝罘湾广场 (XM-001)')
      await page.goto(`${BASE}/reports/${item.id}/2022-11`)
      const grid = page.locator('[data-test=report-view] [data-test=photos]')
      await grid.waitFor()
      assert.equal(await grid.locator('figure').count(), 3)
      const first = grid.locator('figure').first()
      await first.getByText('工地全景：主体结构施工').waitFor()
      // Taken on 24 November 2022 at 09:40 Beijing time, with a position.
      assert.match(await first.locator('[data-test=photo-time]').innerText(), /2022.*11.*24.*09:40/)
      await first.locator('[data-test=photo-located]').getByText('有定位').waitFor()
      await page.waitForFunction(() => [...document.querySelectorAll('[data-test=report-view] [data-test=photo-thumb] img')]
        .every((img) => img.complete && img.naturalWidth > 0))
      await grid.scrollIntoViewIfNeeded()
      await shot(page, 'photos-demo-november')
      await assertClean(assert, seen)
    } finally {
      await context.close()
    }
  })

  test('区住建局 uploads a site photo to the December report, sees its thumbnail, capture time and location, and saves the draft', async () => {
    const { context, page, seen } = await open(browser)
    try {
      await signInAt(page, 'zhujianju', '/')
      const cid = (await api(page, '/campaigns')).items.sort((a, b) => b.year - a.year)[0].id
      // An item of the unit whose December report is not filed; the last one, so as not to meet the progress journey's.
      const tasks = (await api(page, `/tasks?campaign_id=${cid}&period=2022-12`)).tasks.filter((x) => x.status === 'missing')
      assert.ok(tasks.length > 0, 'the unit owes a December report')
      const task = tasks[tasks.length - 1]
      await page.goto(`${BASE}/reports/${task.item_id}/2022-12`)
      const card = page.locator('[data-test=photo-card]')
      await card.waitFor()
      await card.getByText('0 / 20 张').waitFor()

      // Not a photo: refused, naming the file.
      await card.locator('input[type=file]').setInputFiles({ name: '现场.jpg', mimeType: 'image/jpeg', buffer: Buffer.from('MZ this is a program, not a photo') })
      await page.locator('.el-message--error').filter({ hasText: '现场.jpg' }).first().waitFor()

      await page.locator('[data-test=f-photo-caption] input').fill('主体结构封顶')
      await card.locator('input[type=file]').setInputFiles(FIXTURE)
      const photo = card.locator('[data-test^=photo-]').filter({ has: page.locator('[data-test=photo-thumb]') }).first()
      await photo.waitFor()
      await photo.getByText('主体结构封顶').waitFor()
      // The capture time from the photo's EXIF, shown in Beijing time.
      await photo.locator('[data-test=photo-time]').getByText('2022').waitFor()
      assert.match(await photo.locator('[data-test=photo-time]').innerText(), /2022.*12.*20.*10:15/)
      await photo.locator('[data-test=photo-located]').getByText('有定位').waitFor()
      await card.getByText('1 / 20 张').waitFor()
      // The thumbnail shows the image itself.
      await page.waitForFunction(() => {
        const img = document.querySelector('[data-test=photo-card] [data-test=photo-thumb] img')
        return img && img.complete && img.naturalWidth > 0
      })

      await page.locator('[data-test=f-narrative] textarea').fill('12月主体结构封顶，现场照片已上传。')
      await page.locator('[data-test=report-save]').click()
      await page.locator('.el-message').filter({ hasText: '草稿已保存' }).first().waitFor()
      await card.scrollIntoViewIfNeeded()
      await shot(page, 'photos-report-draft')

      // The saved draft lists the photo with its capture time and place.
      const reports = await api(page, `/reports?item_id=${task.item_id}&period=2022-12`)
      const report = await api(page, `/reports/${reports.items[0].id}`)
      assert.equal(report.photos.length, 1)
      assert.equal(report.photos[0].caption, '主体结构封顶')
      assert.equal(report.photos[0].captured_at, '2022-12-20T02:15:00Z')
      assert.ok(Math.abs(report.photos[0].lat - 30.2741) < 1e-4 && Math.abs(report.photos[0].lon - 120.1551) < 1e-4)

      // Opened large on click.
      await photo.locator('[data-test=photo-thumb] img').click()
      await page.locator('.el-image-viewer__canvas img').waitFor()
      await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running'))
      await shot(page, 'photos-preview')
      await page.keyboard.press('Escape')
      await assertClean(assert, seen, { allowHttp: true })
    } finally {
      await context.close()
    }
  })
})
