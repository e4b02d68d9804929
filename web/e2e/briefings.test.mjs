// Briefings and the league table, as their users go through them against a
// running `gongjian demo` (GONGJIAN_URL): 督查室 generates the January–
// September 2022 briefing, reads the articles' figures in the preview, opens a
// figure's records, edits a paragraph, publishes it (editing is then gone),
// downloads the .docx and .xlsx, prints it (Chromium's PDF holds the Chinese
// text) and opens the league table's breakdown; a viewer sees published
// briefings only; the pages in English.
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { BASE, apiGet as api, SHOTS, assertClean, launch, open, shot, signInAt } from './helpers.mjs'

let browser
before(async () => { browser = await launch() })
after(async () => { await browser?.close() })

/** GET of the API with the page's session. */
/** Fills an Element Plus input (el-input, el-date-picker) found by its data-test, and presses Enter. */
async function fill(scope, dataTest, value) {
  const el = scope.locator(`[data-test=${dataTest}]`).first()
  const tag = await el.evaluate((n) => n.tagName)
  const input = ['INPUT', 'TEXTAREA'].includes(tag) ? el : el.locator('input, textarea').first()
  await input.fill(value)
  await input.press('Enter').catch(() => {})
}

/** Waits until no CSS transition or animation runs, for steady screenshots. */
async function settled(page) {
  await page.waitForFunction(() => document.getAnimations()
    .every((a) => a.playState !== 'running' || a.effect?.getComputedTiming().iterations === Infinity))
}

/** Text of a PDF, by pdftotext when installed. */
function pdfText(file) {
  try {
    return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' })
  } catch {
    return null
  }
}

describe('briefings', () => {
  test('督查室 generates, checks, edits, publishes, downloads and prints the January–September 2022 briefing, then reads the league table', async () => {
    const { page, seen } = await open(browser)
    try {
      await signInAt(page, 'duchashi', '/briefings')
      await page.locator('[data-test=briefings-page]').waitFor()
      await shot(page, 'briefings-list')

      // 生成简报: year to date, as of 30 September 2022.
      await page.locator('[data-test=briefing-generate]').click()
      const dlg = page.locator('.el-dialog').filter({ has: page.locator('[data-test=gen-period]') })
      await dlg.waitFor()
      await dlg.locator('[data-test=gen-period-ytd]').click()
      await fill(dlg, 'gen-as-of', '2022-09-30')
      await settled(page)
      await shot(page, 'briefing-generate')
      await dlg.locator('[data-test=gen-submit]').click()
      await page.waitForURL(/\/briefings\/\d+$/)
      const id = Number(new URL(page.url()).pathname.split('/').pop())

      // The preview holds the articles' figures: 81 key projects, 156亿元 planned this year.
      const preview = page.locator('[data-test=briefing-preview]')
      await preview.waitFor()
      await page.locator('[data-test=draft-badge]').waitFor()
      assert.equal((await preview.locator('[data-test="fig-key_projects.count"]').first().innerText()).trim(), '81')
      assert.equal((await preview.locator('[data-test="fig-key_projects.annual"]').first().innerText()).trim(), '156亿元')
      assert.match(await preview.innerText(), /2022年1—9月/)
      await shot(page, 'briefing-preview')

      // A figure lists the records it was computed from: 81 key projects whose annual plans sum to 156亿元.
      await preview.locator('[data-test="fig-key_projects.annual"]').first().click()
      const drawer = page.locator('.el-drawer').filter({ has: page.locator('[data-test=figure-records]') })
      await drawer.waitFor()
      assert.equal((await drawer.locator('[data-test=figure-text]').innerText()).trim(), '156亿元')
      assert.match(await drawer.locator('[data-test=figure-api]').innerText(), /^\/api\/v1\/items\?campaign_id=\d+/)
      assert.match(await drawer.innerText(), /计算所用记录（81 条）/)
      const footer = (await drawer.locator('.el-table__footer-wrapper').innerText()).replace(/\s+/g, ' ')
      const total = Number(/([\d.]+) 万元/.exec(footer)?.[1])
      assert.ok(Math.abs(total - 1560000) < 1, `records sum to ${footer}`)
      await settled(page)
      await shot(page, 'briefing-figure')
      await drawer.locator('.el-drawer__close-btn').click()
      await drawer.waitFor({ state: 'hidden' })

      // Edit a paragraph's wording: placeholders are shown as chips; an unknown one is refused on its paragraph.
      await page.locator('[data-test=briefing-edit]').click()
      const editor = page.locator('[data-test=briefing-editor]')
      await editor.waitFor()
      const para = editor.locator('[data-test=edit-para-headline-0]')
      const src = await para.inputValue()
      assert.match(src, /\{\{key_projects\.count\}\}/)
      await para.fill(src + '{{no.such_figure}}')
      await page.locator('[data-test=edit-save]').click()
      await editor.locator('.el-form-item__error').filter({ hasText: '占位符 {{no.such_figure}} 不是本简报的数据' }).waitFor()
      await shot(page, 'briefing-edit-error')
      await para.fill(src.replace('共纳入攻坚事项', '共纳入各类攻坚事项'))
      await editor.locator('[data-test=chips-headline-0] .el-tag').first().waitFor()
      await shot(page, 'briefing-editor')
      await page.locator('[data-test=edit-save]').click()
      await preview.waitFor()
      assert.match(await preview.innerText(), /共纳入各类攻坚事项118项/)
      await page.locator('[data-test=briefing-revisions]').getByText('修改文字').first().waitFor()

      // 发布, with a confirmation; then it is read-only.
      await page.locator('[data-test=briefing-publish]').click()
      const box = page.locator('.el-message-box')
      await box.waitFor()
      await box.locator('.el-button--primary').click()
      await page.locator('[data-test=published-badge]').waitFor()
      assert.equal(await page.locator('[data-test=briefing-edit]').count(), 0)
      assert.equal(await page.locator('[data-test=briefing-publish]').count(), 0)
      assert.equal(await page.locator('[data-test=briefing-delete]').count(), 0)
      const put = await page.request.put(`${BASE}/api/v1/briefings/${id}/wording`, {
        headers: { 'If-Match': '"99"' }, data: { title: 'x', sections: [] } })
      assert.ok([409, 412].includes(put.status()), `editing a published briefing: HTTP ${put.status()}`)
      await shot(page, 'briefing-published')

      // Downloads: the .docx and .xlsx answer 200 with their content types; the button saves a file.
      for (const [format, type] of [['docx', 'wordprocessingml'], ['xlsx', 'spreadsheetml']]) {
        const r = await page.request.get(`${BASE}/api/v1/briefings/${id}/export?format=${format}`)
        assert.equal(r.status(), 200, `${format}: HTTP ${r.status()}`)
        assert.match(r.headers()['content-type'], new RegExp(type))
        assert.equal((await r.body()).subarray(0, 2).toString(), 'PK')
      }
      await page.locator('[data-test=briefing-download]').click()
      const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test=download-docx]').click()])
      assert.match(download.suggestedFilename(), /\.docx$/)
      assert.equal(readFileSync(await download.path()).subarray(0, 2).toString(), 'PK')

      // The print view: masthead, issue, red rule, title; Chromium prints it to an A4 PDF with the Chinese text.
      await page.locator('[data-test=briefing-print]').click()
      await page.waitForURL(/\/print$/)
      await page.locator('[data-test=print-sheet]').waitFor()
      assert.equal((await page.locator('[data-test=print-masthead]').innerText()).trim(), '攻坚简报')
      assert.match(await page.locator('[data-test=print-issue]').innerText(), /^2022年第\d+期$/)
      await shot(page, 'briefing-print')
      await page.emulateMedia({ media: 'print' })
      assert.equal(await page.locator('[data-test=side-menu]').isVisible(), false, 'the app shell is hidden in print')
      assert.equal(await page.locator('[data-test=print-button]').isVisible(), false)
      mkdirSync(SHOTS, { recursive: true })
      const pdf = await page.pdf({ format: 'A4', preferCSSPageSize: true })
      assert.equal(pdf.subarray(0, 5).toString(), '%PDF-')
      await page.emulateMedia({ media: null })
      writeFileSync(`${SHOTS}/briefing-print.pdf`, pdf)
      const text = pdfText(`${SHOTS}/briefing-print.pdf`)
      if (text !== null) {
        const flat = text.replace(/\s+/g, '')
        assert.match(flat, /攻坚简报/)
        assert.match(flat, /重点项目81个/)
        assert.match(flat, /156亿元/)
        assert.match(flat, /—1—/, 'page numbers in the bottom margin')
        assert.match(flat, /—2—/)
      }

      // The league table: ranked units; one unit's breakdown adds up to its score.
      await page.goto(`${BASE}/league?period=ytd&as_of=2022-09-30`)
      const league = page.locator('[data-test=league-table]')
      await league.locator('.el-table__row').first().waitFor()
      await page.locator('[data-test=honour-list]').waitFor()
      await shot(page, 'league')
      await league.locator('.el-table__row').first().locator('.el-table__expand-icon').click()
      const check = page.locator('[data-test=breakdown-check]').first()
      await check.waitFor()
      const m = /^([\d.+ ]+) − ([\d.]+) = ([\d.]+)$/.exec((await check.innerText()).trim())
      assert.ok(m, `breakdown line: ${await check.innerText()}`)
      const parts = m[1].split('+').reduce((a, x) => a + Number(x), 0)
      assert.ok(Math.abs(parts - Number(m[2]) - Number(m[3])) < 0.02, `${m[0]} adds up`)
      await settled(page)
      await shot(page, 'league-breakdown')
      const x = await page.request.get(`${BASE}/api/v1/league/export?campaign_id=1&period=ytd&as_of=2022-09-30`)
      assert.equal(x.status(), 200)
      assert.match(x.headers()['content-type'], /spreadsheetml/)

      // The rules editor shows field errors where they belong.
      await page.locator('[data-test=league-rules]').click()
      const rd = page.locator('.el-dialog').filter({ has: page.locator('[data-test=rules-save]') })
      await rd.waitFor()
      for (const k of ['reports_on_time', 'progress', 'cases_on_time']) await fill(rd, `rule-weight-${k}`, '0')
      await rd.locator('[data-test=rules-save]').click()
      await rd.getByText('至少一个考核项的权重应大于 0').first().waitFor()
      await settled(page)
      await shot(page, 'league-rules-error')
      await rd.locator('.el-dialog__headerbtn').click()

      // The only failed requests are the two refusals above (the unknown placeholder, the rules without weight).
      assert.equal(seen.httpErrors.length, 2, seen.httpErrors.join('\n'))
      assert.ok(seen.httpErrors.every((e) => /status of 422/.test(e)), seen.httpErrors.join('\n'))
      await assertClean(assert, seen, { allowHttp: true })
    } finally {
      await page.context().close()
    }
  })

  test('a viewer sees published briefings only, and cannot edit them', async () => {
    const { page, seen } = await open(browser)
    try {
      await signInAt(page, 'viewer', '/briefings')
      await page.locator('[data-test=briefing-table] .el-table__row').first().waitFor()
      const list = await api(page, '/briefings?campaign_id=1')
      assert.ok(list.items.length > 0)
      assert.ok(list.items.every((b) => b.state === 'published'), 'only published briefings')
      assert.equal(await page.locator('[data-test=briefing-generate]').count(), 0)
      const states = await page.locator('[data-test=briefing-state]').allInnerTexts()
      assert.ok(states.every((s) => s.trim() === '已发布'), states.join(','))
      await shot(page, 'briefings-viewer')
      await page.locator('[data-test=briefing-link]').first().click()
      await page.locator('[data-test=published-badge]').waitFor()
      assert.equal(await page.locator('[data-test=briefing-edit]').count(), 0)
      assert.equal(await page.locator('[data-test=briefing-publish]').count(), 0)
      await assertClean(assert, seen)
    } finally {
      await page.context().close()
    }
  })

  test('in English: the briefing, a figure and the league table', async () => {
    const { page, seen } = await open(browser, { lang: 'en' })
    try {
      await signInAt(page, 'duchashi', '/briefings')
      await page.locator('[data-test=briefing-table] .el-table__row').first().waitFor()
      await shot(page, 'briefings-list-en')
      await page.locator('[data-test=briefing-link]').first().click()
      await page.locator('[data-test=briefing-preview]').waitFor()
      await page.getByRole('button', { name: 'Print view' }).waitFor()
      await page.locator('[data-test="fig-key_projects.count"]').first().click()
      await page.locator('[data-test=figure-records]').waitFor()
      await settled(page)
      await shot(page, 'briefing-figure-en')
      await page.goto(`${BASE}/league?period=half&as_of=2022-06-30`)
      await page.locator('[data-test=league-table] .el-table__row').first().waitFor()
      await page.getByText('Honour list').first().waitFor()
      await shot(page, 'league-en')
      await assertClean(assert, seen)
    } finally {
      await page.context().close()
    }
  })
})
