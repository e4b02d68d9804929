// The desks' remaining journeys against a running `gongjian demo`
// (GONGJIAN_URL): 区住建局 asks for a later date for one of its milestones
// from the item page, 督查室 approves it on the review desk, and the item page
// shows the new date with the original struck through; a request for a
// target's deadline that 督查室 rejects shows on the item page with the
// reviewer's reason, the deadline unchanged; 督查室 changes a
// campaign's reporting cadence on the campaigns page and sees it; the
// cockpit's overdue cases and indicator ranks follow its 查看日期 and link to
// their records; a target is linked to a ledger figure and unlinked; a
// briefing template with an unknown placeholder is refused, the name shown.
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { BASE, apiGet as api, assertClean, launch, messageShown as message, open, settled, shot, signInAt } from './helpers.mjs'

let browser
before(async () => { browser = await launch() })
after(async () => { await browser?.close() })

/** 2022-06-30 → 2022年6月30日, as the pages print dates. */
const zh = (iso) => { const [y, m, d] = iso.split('-').map(Number); return `${y}年${m}月${d}日` }

/**
 * The signed-in unit's first (or, with last, last) own item in the current
 * campaign that has a milestone not reached (kind 'milestone') or a target
 * ('target') with no extension request waiting: { item, subject }.
 */
async function extendable(page, kind, { last = false } = {}) {
  const me = (await api(page, '/auth/me')).user
  const camp = (await api(page, '/campaigns')).items.sort((a, b) => b.year - a.year)[0]
  const items = (await api(page, `/items?campaign_id=${camp.id}&page_size=200&sort=code`)).items.filter((i) => i.lead_unit_id === me.unit_id)
  if (last) items.reverse()
  for (const item of items) {
    const open = new Set((await api(page, `/extensions?item_id=${item.id}&state=requested`)).items.map((e) => e[`${kind}_id`]))
    const subject = (await api(page, `/items/${item.id}/${kind}s`)).items.find((x) => !x.actual_date && !open.has(x.id))
    if (subject) return { item, subject }
  }
  return { item: null, subject: null }
}

describe('desks', () => {
  test('区住建局 requests an extension for a milestone; 督查室 approves it; the item page shows the new date and the original', async () => {
    const rep = await open(browser)
    const sup = await open(browser)
    try {
      const { page } = rep
      await signInAt(page, 'zhujianju', '/desk')
      // A milestone of one of the unit's items, not reached, with no request waiting.
      const { item, subject: ms } = await extendable(page, 'milestone')
      assert.ok(ms, '住建局 has no milestone to extend in the demo')
      const planned = ms.planned_date
      const later = new Date(`${planned}T00:00:00Z`)
      later.setUTCMonth(later.getUTCMonth() + 2)
      const newDate = later.toISOString().slice(0, 10)

      await page.goto(`${BASE}/items/${item.id}`)
      const note = page.locator(`[data-test=ext-note-milestone-${ms.id}]`)
      await note.locator(`[data-test=ext-request-milestone-${ms.id}]`).click()
      const dialog = page.locator('.el-dialog[data-test=ext-dialog]')
      await dialog.waitFor()
      await dialog.locator('[data-test=ext-subject]').getByText(ms.name).waitFor()
      // Both fields are required, and say so.
      await dialog.locator('[data-test=ext-submit]').click()
      await dialog.locator('[data-test=ext-new-date] .el-form-item__error').getByText('请选择申请延期至的日期').waitFor()
      await dialog.locator('[data-test=ext-reason] .el-form-item__error').getByText('申请延期须写明理由').waitFor()
      const input = dialog.locator('[data-test=ext-new-date] input')
      await input.fill(zh(newDate))
      await input.press('Enter')
      await dialog.locator('[data-test=ext-reason] textarea').fill('征迁遗留问题尚未化解，需协调区征收中心。')
      await settled(page)
      await shot(page, 'desk-extension-request')
      await dialog.locator('[data-test=ext-submit]').click()
      await message(page, '延期申请已提交')
      await note.locator('[data-test=ext-open]').getByText(`申请延期至 ${zh(newDate)}`).waitFor()

      // My desk lists the request, waiting.
      await page.goto(`${BASE}/desk`)
      const mine = page.locator('[data-test=ext-mine]')
      const mineRow = mine.locator('.el-table__row').filter({ hasText: ms.name }).filter({ hasText: zh(newDate) })
      await mineRow.getByText('待审批').waitFor()

      // 督查室 approves it on the review desk.
      const s = sup.page
      await signInAt(s, 'duchashi', '/review')
      const queue = s.locator('[data-test=ext-review]')
      await queue.scrollIntoViewIfNeeded()
      const row = queue.locator('.el-table__row').filter({ hasText: item.name }).filter({ hasText: ms.name })
      await row.getByText(zh(planned)).waitFor()
      await row.getByText(zh(newDate)).waitFor()
      await row.getByText('征迁遗留问题尚未化解').waitFor()
      await settled(s)
      await shot(s, 'desk-extension-review')
      await row.locator('[data-test^=ext-approve-]').click()
      await message(s, `已批准，新日期 ${zh(newDate)}`)

      // The item page: the new date, the original struck through.
      await page.goto(`${BASE}/items/${item.id}`)
      const orig = page.locator(`[data-test=ext-note-milestone-${ms.id}] [data-test=ext-original]`)
      await orig.getByText(zh(planned)).waitFor()
      assert.equal(await orig.locator('s').innerText(), zh(planned))
      await page.locator('[data-test=milestones] .el-timeline-item').filter({ hasText: ms.name }).getByText(zh(newDate)).first().waitFor()
      await orig.scrollIntoViewIfNeeded()
      await shot(page, 'desk-extension-approved')
      // And My desk shows the outcome.
      await page.goto(`${BASE}/desk`)
      await page.locator('[data-test=ext-mine] .el-table__row').filter({ hasText: ms.name }).filter({ hasText: zh(newDate) }).getByText('已批准').waitFor()

      await assertClean(assert, rep.seen)
      await assertClean(assert, sup.seen)
    } finally {
      await rep.context.close()
      await sup.context.close()
    }
  })

  test('区住建局 asks to move a target\'s deadline; 督查室 rejects it with a reason; the item page shows the rejection and the reason', async () => {
    const rep = await open(browser)
    const sup = await open(browser)
    try {
      const { page } = rep
      await signInAt(page, 'zhujianju', '/desk')
      // A target of one of the unit's items (the last ones, away from the milestone journey's) with no request waiting.
      const { item, subject: target } = await extendable(page, 'target', { last: true })
      assert.ok(target, '住建局 has no target to extend in the demo')
      const later = new Date(`${target.deadline}T00:00:00Z`)
      later.setUTCMonth(later.getUTCMonth() + 3)
      const newDate = later.toISOString().slice(0, 10)
      const reason = '征收补偿方案调整，回迁房交付顺延一个季度。'
      const why = '年度目标已报区政府常务会议确定，不予延期；请倒排工期，增加施工力量。'

      await page.goto(`${BASE}/items/${item.id}`)
      const note = page.locator(`[data-test=ext-note-target-${target.id}]`)
      await note.locator(`[data-test=ext-request-target-${target.id}]`).click()
      const dialog = page.locator('.el-dialog[data-test=ext-dialog]')
      await dialog.waitFor()
      const input = dialog.locator('[data-test=ext-new-date] input')
      await input.fill(zh(newDate))
      await input.press('Enter')
      await dialog.locator('[data-test=ext-reason] textarea').fill(reason)
      await dialog.locator('[data-test=ext-submit]').click()
      await message(page, '延期申请已提交')
      await note.locator('[data-test=ext-open]').getByText(`申请延期至 ${zh(newDate)}`).waitFor()
      // The item's own list shows it, waiting.
      const mine = page.locator('[data-test=ext-item] .el-table__row').filter({ hasText: target.name }).filter({ hasText: zh(newDate) })
      await mine.getByText('待审批').waitFor()

      // 督查室 rejects it on the review desk, with a reason.
      const s = sup.page
      await signInAt(s, 'duchashi', '/review')
      const queue = s.locator('[data-test=ext-review]')
      await queue.scrollIntoViewIfNeeded()
      const row = queue.locator('.el-table__row').filter({ hasText: item.name }).filter({ hasText: target.name }).filter({ hasText: zh(newDate) })
      await row.locator('[data-test^=ext-reject-]').click()
      const rej = s.locator('.el-dialog[data-test=ext-reject-dialog]')
      await rej.waitFor()
      await rej.locator('[data-test=ext-reject-note] textarea').fill(why)
      await rej.locator('[data-test=ext-reject-confirm]').click()
      await message(s, '已退回延期申请')

      // The item page: the deadline unchanged, the rejection beside it with the reason, and in the item's list.
      await page.goto(`${BASE}/items/${item.id}`)
      const rejected = note.locator('[data-test=ext-rejected]')
      await rejected.getByText('延期未批准').waitFor()
      assert.equal(await rejected.locator('.el-tag').getAttribute('title'), `申请延期至 ${zh(newDate)}，未批准`)
      assert.equal(await rejected.locator('[data-test=ext-rejected-note]').innerText(), why)
      assert.equal(await note.locator('[data-test=ext-original]').count(), 0, 'a rejected request moves no date')
      await note.locator(`[data-test=ext-request-target-${target.id}]`).waitFor() // and may ask again
      const listed = page.locator('[data-test=ext-item] .el-table__row').filter({ hasText: target.name }).filter({ hasText: zh(newDate) })
      await listed.getByText('未批准').waitFor()
      await listed.getByText(why).waitFor()
      await listed.getByText(reason).waitFor()
      await page.locator('[data-test=ext-item]').scrollIntoViewIfNeeded()
      await settled(page)
      await shot(page, 'desk-extension-rejected')
      assert.equal((await api(page, `/items/${item.id}/targets`)).items.find((x) => x.id === target.id).deadline, target.deadline)

      await assertClean(assert, rep.seen)
      await assertClean(assert, sup.seen)
    } finally {
      await rep.context.close()
      await sup.context.close()
    }
  })

  test('督查室 changes a campaign\'s reporting cadence and sees the change', async () => {
    const sup = await open(browser)
    try {
      const { page } = sup
      await signInAt(page, 'duchashi', '/campaigns')
      const camp = (await api(page, '/campaigns')).items.sort((a, b) => b.year - a.year)[0]
      const row = page.locator('[data-test=campaign-table] .el-table__row').filter({ hasText: camp.name })
      const to = camp.cadence === 'monthly' ? 'weekly' : 'monthly'
      const label = { weekly: '每周', monthly: '每月' }
      await row.getByText(label[camp.cadence]).waitFor()
      await row.locator('[data-test=campaign-edit]').click()
      const dialog = page.locator('.el-dialog[data-test=campaign-dialog]')
      await dialog.waitFor()
      // A bad entry is named next to its field.
      await dialog.locator('[data-test=cf-name] input').fill('')
      await dialog.locator('[data-test=cf-save]').click()
      await dialog.locator('[data-test=cf-name] .el-form-item__error').waitFor()
      await dialog.locator('[data-test=cf-name] input').fill(camp.name)
      await dialog.locator(`[data-test=cf-cadence] label`).filter({ hasText: label[to] }).click()
      await settled(page)
      await shot(page, 'desk-campaign-edit')
      await dialog.locator('[data-test=cf-save]').click()
      await message(page, '已保存')
      await row.getByText(label[to]).waitFor()
      assert.equal((await api(page, `/campaigns/${camp.id}`)).cadence, to)
      // Back as it was, so that later journeys see the demo's cadence.
      await row.locator('[data-test=campaign-edit]').click()
      await dialog.waitFor()
      await dialog.locator(`[data-test=cf-cadence] label`).filter({ hasText: label[camp.cadence] }).click()
      await dialog.locator('[data-test=cf-save]').click()
      await row.getByText(label[camp.cadence]).waitFor()
      await assertClean(assert, sup.seen)
    } finally {
      await sup.context.close()
    }
  })
  test('the cockpit counts overdue cases to its 查看日期 and ranks the indicators, every number a link', async () => {
    const sup = await open(browser)
    try {
      const { page } = sup
      await signInAt(page, 'duchashi', '/?as_of=2022-12-31')
      const card = page.locator('[data-test=cockpit-cases]')
      await card.getByText('2022年12月31日').first().waitFor()
      // Days overdue are counted to the end of 2022, not to today's clock.
      const days = (await card.locator('.el-tag').allInnerTexts()).map((x) => Number(/(\d+)/.exec(x)[1]))
      assert.ok(days.length > 0 && days.every((d) => d > 0 && d < 366), `days overdue as of 2022-12-31: ${days}`)
      const ranks = page.locator('[data-test=cockpit-indicators]')
      await ranks.locator('[data-test=ind-rank-RETAIL] [data-test=ind-rank]').getByText('第1/14').waitFor()
      await settled(page)
      await ranks.scrollIntoViewIfNeeded()
      await shot(page, 'desk-cockpit-cards')
      // The overdue count opens the cases overdue on that day.
      const n = Number(await card.locator('[data-test=cases-overdue] .n').innerText())
      await card.locator('[data-test=cases-overdue]').click()
      await page.waitForURL(/\/cases\?.*as_of=2022-12-31/)
      await page.locator('[data-test=filter-as-of]').waitFor()
      await page.locator('[data-test=case-summary]').getByText(`共 ${n} 件`).waitFor()
      // An indicator's rank opens that indicator on the indicators page.
      await page.goBack()
      await ranks.locator('[data-test=ind-rank-RETAIL] [data-test=ind-rank]').click()
      await page.waitForURL(/\/indicators\?.*indicator=RETAIL/)
      await assertClean(assert, sup.seen)
    } finally {
      await sup.context.close()
    }
  })

  test('督查室 links a target to a ledger figure and unlinks it; edits a briefing template and is told of an unknown placeholder', async () => {
    const sup = await open(browser)
    try {
      const { page } = sup
      await signInAt(page, 'duchashi', '/ledgers')
      const ledger = (await api(page, '/ledgers?page_size=50')).items[0]
      const camp = (await api(page, '/campaigns')).items.sort((a, b) => b.year - a.year)[0]
      // An item with a target that no ledger figure feeds yet.
      const linked = new Set()
      for (const l of (await api(page, '/ledgers?page_size=100')).items) {
        for (const k of (await api(page, `/ledgers/${l.id}/links`)).items) linked.add(k.target_id)
      }
      let item = null
      let target = null
      for (const it of (await api(page, `/items?campaign_id=${camp.id}&page_size=200&sort=code`)).items) {
        target = (await api(page, `/items/${it.id}/targets`)).items.find((x) => !linked.has(x.id))
        if (target) { item = it; break }
      }
      assert.ok(target, 'no unlinked target in the demo')
      await page.goto(`${BASE}/ledgers/${ledger.id}`)
      await page.locator('[data-test=link-create]').click()
      const dialog = page.locator('.el-dialog[data-test=link-dialog]')
      await dialog.waitFor()
      await dialog.locator('[data-test=lf-save]').click()
      await dialog.locator('[data-test=lf-target] .el-form-item__error').getByText('请选择目标').waitFor()
      await dialog.locator('[data-test=lf-item] input').fill(item.code)
      await page.locator('.el-select-dropdown__item').filter({ hasText: item.name }).first().click()
      await dialog.locator('[data-test=lf-target] .el-select').click()
      await page.locator('.el-select-dropdown__item').filter({ hasText: target.name }).first().click()
      await settled(page)
      await shot(page, 'desk-ledger-link')
      await dialog.locator('[data-test=lf-save]').click()
      await message(page, '已关联')
      const row = page.locator('[data-test=ledger-links] .el-table__row').filter({ hasText: target.name })
      await row.locator(`[data-test=link-actual-${target.id}]`).getByText(ledger.rows.toLocaleString('zh-CN')).first().waitFor()
      await row.locator(`[data-test=link-delete-${target.id}]`).click()
      await page.locator('.el-popconfirm .el-button--primary').click()
      await message(page, '已解除关联')
      await row.waitFor({ state: 'detached' })

      // Briefing templates: an unknown placeholder is named under its sentence.
      await page.goto(`${BASE}/briefings`)
      await page.locator('[data-test=briefing-templates]').click()
      const tpl = page.locator('.el-dialog[data-test=tpl-dialog]')
      await tpl.waitFor()
      const first = tpl.locator('.sentence').first()
      const text = first.locator('textarea')
      await text.waitFor()
      const before = await text.inputValue()
      await text.fill(`${before}{{no_such_figure}}`)
      await tpl.locator('[data-test=tpl-save]').click()
      await first.locator('[data-test=tpl-error]').getByText('{{no_such_figure}}').waitFor()
      await tpl.locator('[data-test=tpl-errors]').waitFor()
      await text.focus()
      await first.locator('[data-test=tpl-names]').waitFor()
      await settled(page)
      await shot(page, 'desk-briefing-templates')
      await text.fill(before)
      await tpl.locator('[data-test=tpl-save]').click()
      await message(page, '已保存')
      await assertClean(assert, sup.seen, { allowHttp: true })
    } finally {
      await sup.context.close()
    }
  })
})
