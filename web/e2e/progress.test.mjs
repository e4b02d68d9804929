// Progress reporting and status lights, as their users go through them
// against a running `gongjian demo` (GONGJIAN_URL): a unit files a report, the
// supervisor returns it, the unit corrects it, the supervisor accepts it, and
// every step is on record; the 亮灯 page shows the lights of a past day, and a
// supervisor overrides a light with a reason and clears it again.
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { BASE, apiGet as api, assertClean, launch, open, shot, signInAt } from './helpers.mjs'

let browser
before(async () => { browser = await launch() })
after(async () => { await browser?.close() })

/** GET of the API with the page's session. */
/** Waits for an Element Plus message with this text. */
async function message(page, text) {
  await page.locator('.el-message').filter({ hasText: text }).first().waitFor()
}

/** Picks an option of an Element Plus select by its data-test. */
async function pick(page, select, option) {
  await page.locator(select).click()
  const opt = page.locator(`.el-select-dropdown__item[data-test=${option}]`)
  await opt.waitFor()
  await opt.click()
}

/** Scrolls the element to the top of the page's scroll area. */
async function scrollTo(locator) {
  await locator.evaluate((el) => el.scrollIntoView({ block: 'start' }))
}

/** Waits until no CSS transition or animation runs (dialogs, drawers, masks), for steady screenshots. */
async function settled(page) {
  await page.waitForFunction(() => document.getAnimations()
    .every((a) => a.playState !== 'running' || a.effect?.getComputedTiming().iterations === Infinity))
}

const campaignId = async (page) => (await api(page, '/campaigns')).items.sort((a, b) => b.year - a.year)[0].id

describe('progress reporting', () => {
  test('区住建局 files the December report; 督查室 returns it with a reason; it is corrected, resubmitted and accepted; the revision history shows every step', async () => {
    const rep = await open(browser)
    const sup = await open(browser)
    try {
      const { page } = rep
      await signInAt(page, 'zhujianju', '/')
      await page.locator('[data-test=menu-desk]').click()
      await page.waitForURL(/\/desk/)
      // The demo year is over: the period due next is December, whose report is not filed.
      await page.locator('[data-test=desk-period]').getByText('2022年12月').waitFor()
      // The period selector switches the list (and keeps it in the URL).
      await pick(page, '[data-test=period-select]', 'period-2022-06')
      await page.waitForURL(/period=2022-06/)
      await page.locator('[data-test=desk-period]').getByText('2022年6月').waitFor()
      await page.locator('[data-test=task-table] .el-table__body tr').filter({ hasText: '已通过' }).first().waitFor()
      await pick(page, '[data-test=period-select]', 'period-2022-12')
      await page.waitForURL(/period=2022-12/)
      await page.locator('[data-test=desk-period]').getByText('2022年12月').waitFor()

      // One of the unit's items with a target, not yet reported for December.
      const cid = await campaignId(page)
      const tasks = await api(page, `/tasks?campaign_id=${cid}&period=2022-12`)
      assert.ok(tasks.tasks.length > 0, 'the unit owes reports')
      assert.ok(tasks.tasks.every((x) => x.lead_unit_name === '区住建局'))
      let task = null
      let target = null
      for (const x of [...tasks.tasks].sort((a, b) => (a.code === 'MS-12' ? -1 : b.code === 'MS-12' ? 1 : 0))) {
        if (x.status !== 'missing') continue
        const ts = (await api(page, `/items/${x.item_id}/targets`)).items
        if (ts.length) { task = x; target = ts[0]; break }
      }
      assert.ok(task, 'an unreported item with a target')
      const row = page.locator('[data-test=task-table] .el-table__body tr').filter({ hasText: task.code })
      assert.match(await row.innerText(), /未报/)
      assert.match(await row.locator('[data-test=report-state]').innerText(), /逾期/, 'December is past due')
      assert.match(await page.locator('[data-test=count-missing]').innerText(), new RegExp(`未报\\s*${tasks.tasks.filter((x) => x.status === 'missing').length}`))
      await settled(page)
      await shot(page, 'progress-desk')

      await row.locator('[data-test=task-link]').click()
      await page.waitForURL(new RegExp(`/reports/${task.item_id}/2022-12$`))
      await page.locator('[data-test=report-item]').getByText(task.name).waitFor()
      // Submitting without the narrative is refused next to the field.
      await page.locator('[data-test=report-submit]').click()
      const narrativeError = page.locator('[data-test=f-narrative] .el-form-item__error')
      await narrativeError.waitFor()
      assert.match(await narrativeError.innerText(), /请填写工作进展/)

      const first = '12月工作进展：协调推进剩余停滞项目，完成手续办理。'
      await page.locator('[data-test=f-narrative] textarea').fill(first)
      await page.locator('[data-test=f-problems] textarea').fill('个别项目资金仍未到位。')
      const value = target.value
      await page.locator(`[data-test=f-value-${target.id}] input`).fill(String(value))
      await page.locator('[data-test=report-save]').click()
      await message(page, '草稿已保存')
      await page.locator('[data-test=report-status]').getByText('草稿').waitFor()
      await page.locator('[data-test=revision-table] .el-table__body tr').first().getByText('保存草稿').waitFor()
      await settled(page)
      await shot(page, 'progress-report-form')

      await page.locator('[data-test=report-submit]').click()
      await message(page, '已报送，等待审核')
      await page.locator('[data-test=report-status]').getByText('已报送').waitFor()
      assert.equal((await page.locator('[data-test=view-narrative]').innerText()).trim(), first)
      assert.match(await page.locator('[data-test=view-values]').innerText(), new RegExp(`${target.name}[\\s\\S]*${value}`))

      // 督查室 finds it on the review desk and returns it.
      const sp = sup.page
      await signInAt(sp, 'duchashi', '/')
      await sp.locator('[data-test=menu-review]').click()
      await sp.waitForURL(/\/review/)
      const open1 = sp.locator(`[data-test=review-open-${task.item_id}]`)
      await open1.waitFor()
      assert.match(await sp.locator('[data-test=review-summary]').innerText(), /2022年12月/)
      await open1.click()
      await sp.waitForURL(/[?&]report=\d+/)
      const drawer = sp.locator('[data-test=review-drawer]')
      await drawer.locator('[data-test=view-narrative]').getByText(first).waitFor()
      await drawer.locator('[data-test=revision-table] .el-table__body tr').nth(1).waitFor()
      await settled(sp)
      await shot(sp, 'progress-review')
      await drawer.locator('[data-test=review-return]').click()
      const dialog = sp.locator('[data-test=return-dialog]')
      await dialog.locator('[data-test=return-confirm]').click()
      await dialog.locator('[data-test=f-reason] .el-form-item__error').getByText('请填写退回原因').waitFor()
      const reason = '请补充剩余停滞项目的名称和资金到位时间。'
      await dialog.locator('[data-test=f-reason] textarea').fill(reason)
      await dialog.locator('[data-test=return-confirm]').click()
      await message(sp, '已退回填报单位')
      await drawer.locator('[data-test=report-state]').getByText('已退回').first().waitFor()
      // The list waits for review only: the returned report has left it.
      await open1.waitFor({ state: 'detached' })

      // The unit sees 已退回 with the reason, corrects the report and submits it again.
      await page.goto(`${BASE}/desk?period=2022-12`)
      const back = page.locator('[data-test=task-table] .el-table__body tr').filter({ hasText: task.code })
      await back.locator('[data-test=return-reason]').getByText(reason).waitFor()
      assert.match(await back.locator('[data-test=report-state]').innerText(), /已退回/)
      assert.match(await page.locator('[data-test=count-returned]').innerText(), /已退回\s*1/)
      await settled(page)
      await shot(page, 'progress-desk-returned')
      await back.locator('[data-test=task-link]').click()
      await page.waitForURL(new RegExp(`/reports/${task.item_id}/2022-12$`))
      await page.locator('[data-test=report-returned]').getByText(reason).waitFor()
      const second = `${first}剩余项目为示意项目一、二，资金预计2023年1月到位。`
      await page.locator('[data-test=f-narrative] textarea').fill(second)
      // A changed form is submitted in one request that saves and submits.
      const writes = []
      const onRequest = (r) => { if (r.method() !== 'GET' && r.url().includes('/api/v1/')) writes.push(`${r.method()} ${new URL(r.url()).pathname}`) }
      page.on('request', onRequest)
      await page.locator('[data-test=report-submit]').click()
      await message(page, '已报送，等待审核')
      await page.locator('[data-test=report-status]').getByText('已报送').waitFor()
      page.off('request', onRequest)
      assert.deepEqual(writes, [`POST /api/v1/items/${task.item_id}/reports/2022-12/submit`])

      // 督查室 accepts the corrected report.
      await sp.goto(`${BASE}/review`)
      const open2 = sp.locator(`[data-test=review-open-${task.item_id}]`)
      await open2.click()
      await drawer.locator('[data-test=view-narrative]').getByText(second).waitFor()
      await drawer.locator('[data-test=review-accept]').click()
      await message(sp, '已审核通过')
      await drawer.locator('[data-test=report-state]').getByText('已通过').first().waitFor()

      // Every step is in the report's revisions, newest first, with who did it.
      await page.reload()
      await page.locator('[data-test=report-status]').getByText('已通过').waitFor()
      const revs = page.locator('[data-test=revision-table] .el-table__body tr')
      await revs.nth(4).waitFor()
      const steps = []
      for (const r of await revs.all()) {
        steps.push([(await r.locator('[data-test=revision-action]').innerText()).trim(), (await r.locator('[data-test=revision-user]').innerText()).trim()])
      }
      // The corrected report was saved and submitted in one step: one revision.
      assert.deepEqual(steps, [
        ['审核通过', 'duchashi'],
        ['报送', 'zhujianju'],
        ['退回', 'duchashi'],
        ['报送', 'zhujianju'],
        ['保存草稿', 'zhujianju'],
      ])
      assert.equal((await revs.nth(2).locator('[data-test=revision-reason]').innerText()).trim(), reason)
      // An old revision opens as it was.
      await page.locator('[data-test=revision-view-1]').click()
      const old = page.locator('[data-test=revision-dialog]')
      await old.locator('[data-test=view-narrative]').getByText(first, { exact: true }).waitFor()
      await settled(page)
      await shot(page, 'progress-revisions')
      await page.keyboard.press('Escape')
      await old.waitFor({ state: 'hidden' })

      // The item page lists the report and shows the item's light and targets.
      await page.goto(`${BASE}/items/${task.item_id}`)
      const reports = page.locator('[data-test=item-report-table] .el-table__body tr')
      await reports.first().getByText('2022年12月').waitFor()
      assert.match(await reports.first().innerText(), /已通过/)
      await page.locator('[data-test=item-light] [data-test=light-badge]').first().waitFor()
      await page.locator('[data-test=item-trajectory]').getByText(target.name).waitFor()
      await scrollTo(page.locator('[data-test=item-light]'))
      await settled(page)
      await shot(page, 'progress-item')

      await assertClean(assert, rep.seen)
      await assertClean(assert, sup.seen)
    } finally {
      await rep.context.close()
      await sup.context.close()
    }
  })
})

describe('status lights', () => {
  test('亮灯 as of 2022-09-08 shows the counts; an override with a reason changes an item’s light, and clearing it restores the computed one', async () => {
    const { context, page, seen } = await open(browser)
    try {
      await signInAt(page, 'duchashi', '/')
      // The cockpit's card counts the lights and opens the 亮灯 page filtered.
      const cid = await campaignId(page)
      const now = await api(page, `/lights?campaign_id=${cid}`)
      const card = page.locator('[data-test=lights-card]')
      await card.locator('[data-test=lights-card-red]').getByText(String(now.counts.red), { exact: true }).waitFor()
      await card.scrollIntoViewIfNeeded()
      await settled(page)
      await shot(page, 'progress-cockpit-lights')
      await card.locator('[data-test=lights-card-red]').click()
      await page.waitForURL(/\/lights\?.*light=red/)
      await page.locator('[data-test=light-summary]').getByText(`显示 ${now.counts.red} 项`).waitFor()
      const badges = page.locator('[data-test=light-table] .el-table__body [data-test=light-badge]')
      await badges.first().waitFor()
      for (const b of await badges.all()) assert.equal(await b.getAttribute('data-light'), 'red')

      // 查看日期 typed as shown; the page reloads as of that day and keeps it in the URL.
      await page.locator('[data-test=menu-lights]').click()
      await page.waitForURL((u) => u.pathname === '/lights' && !u.search.includes('light='))
      const asOfResponse = page.waitForResponse((r) => r.url().includes('/api/v1/lights?') && r.url().includes('as_of=2022-09-08'))
      const picker = page.locator('[data-test=as-of] input')
      await picker.click()
      await picker.fill('2022年9月8日')
      await picker.press('Enter')
      await page.waitForURL(/[?&]as_of=2022-09-08/)
      const past = await (await asOfResponse).json()
      assert.equal(past.as_of, '2022-09-08')
      for (const l of ['red', 'yellow', 'green']) {
        await page.locator(`[data-test=count-${l}] [data-test=count-n]`).getByText(String(past.counts[l]), { exact: true }).waitFor()
      }
      assert.equal(past.counts.red + past.counts.yellow + past.counts.green, past.items.length)
      assert.ok(past.counts.red > 0 && past.counts.yellow > 0, 'some items behind on 2022-09-08')
      // Reasons are listed one per line.
      const firstRow = page.locator('[data-test=light-table] .el-table__body tr').first()
      await firstRow.locator('[data-test=light-badge][data-light=red]').waitFor()
      assert.ok(await firstRow.locator('[data-test=light-reasons] li').count() >= 1)
      await settled(page)
      await shot(page, 'progress-lights')
      // The roll-up by lead unit, as a chart and a table.
      await page.locator('[data-test=by-unit]').click()
      await page.waitForURL(/[?&]by=unit/)
      await page.locator('[data-test=rollup-table]').getByText('区住建局').waitFor()
      await page.locator('[data-test=rollup-chart] canvas').waitFor()
      await scrollTo(page.locator('[data-test=rollup]'))
      await settled(page)
      await shot(page, 'progress-rollup')

      // An item green on 2022-09-08 because it was completed (so green on any later day too).
      const item = past.items.find((it) => it.state === 'completed' && it.light === 'green' && !it.override)
      assert.ok(item, 'a completed item')
      const q = page.locator('[data-test=filter-q] input, input[data-test=filter-q]').first()
      await q.fill(item.code)
      await q.press('Enter')
      await page.waitForURL(new RegExp(`[?&]q=${encodeURIComponent(item.code)}`))
      const row = page.locator('[data-test=light-table] .el-table__body tr').filter({ hasText: item.name }).first()
      await row.locator('[data-test=light-badge][data-light=green]').waitFor()

      await row.locator(`[data-test=override-${item.item_id}]`).click()
      const dialog = page.locator('[data-test=override-dialog]')
      await dialog.locator('[data-test=override-red]').click()
      await dialog.locator('[data-test=override-save]').click()
      await dialog.locator('[data-test=f-override-reason] .el-form-item__error').getByText('须写明理由').waitFor()
      const reason = `现场核查发现质量问题，需整改（${Date.now()}）`
      await dialog.locator('[data-test=f-override-reason] textarea').fill(reason)
      await dialog.locator('[data-test=override-save]').click()
      await message(page, '灯色已调整')
      await dialog.waitFor({ state: 'hidden' })

      // An override counts from the moment it is set: the page says so, and today's lights show it.
      await page.locator('[data-test=override-past]').waitFor()
      await page.locator('[data-test=override-past-today]').click()
      await page.waitForURL(/[?&]as_of=\d{4}-\d{2}-\d{2}/)
      assert.ok(!page.url().includes('as_of=2022-09-08'))
      const overridden = row.locator('[data-test=light-badge][data-light=red]')
      await overridden.waitFor()
      assert.match(await overridden.innerText(), /红灯\s*人工/)
      assert.match(await row.locator('[data-test=light-reasons]').innerText(), new RegExp(`人工调整：${reason.replace(/[()（）]/g, '.')}`))
      assert.match(await row.innerText(), /按规则为绿灯/)
      await settled(page)
      await shot(page, 'progress-lights-override')

      // Clearing it (with a reason) gives back the computed light.
      await row.locator(`[data-test=override-${item.item_id}]`).click()
      await dialog.locator('[data-test=override-clear]').click()
      await dialog.locator('[data-test=f-override-reason] textarea').fill('整改完成，恢复按规则亮灯')
      await dialog.locator('[data-test=override-save]').click()
      await message(page, '已取消人工调整')
      await row.locator('[data-test=light-badge][data-light=green]').waitFor()
      assert.doesNotMatch(await row.locator('[data-test=light-badge]').innerText(), /人工/)
      await assertClean(assert, seen)
    } finally {
      await context.close()
    }
  })

  test('亮灯规则: the supervisor changes the milestone warning and restores the defaults', async () => {
    const { context, page, seen } = await open(browser)
    try {
      await signInAt(page, 'duchashi', '/')
      await page.locator('[data-test=menu-rules]').click()
      await page.waitForURL(/\/rules/)
      const warn = page.locator('[data-test=f-warn-days] input')
      await warn.waitFor()
      assert.equal(await page.locator('[data-test=f-yellow-ratio] input').inputValue(), '90')
      assert.equal(await page.locator('[data-test=f-red-ratio] input').inputValue(), '70')
      assert.equal(await warn.inputValue(), '14')
      await settled(page)
      await shot(page, 'progress-rules')
      // A red line above the yellow line is refused next to the field.
      await page.locator('[data-test=f-red-ratio] input').fill('95')
      await page.locator('[data-test=f-red-ratio] input').blur()
      await page.locator('[data-test=rules-save]').click()
      await page.locator('[data-test=f-red-ratio] .el-form-item__error').getByText('红灯线不能高于黄灯线').waitFor()
      await page.locator('[data-test=f-red-ratio] input').fill('70')
      await warn.fill('21')
      await warn.blur()
      await page.locator('[data-test=rules-save]').click()
      await message(page, '亮灯规则已保存')
      const cid = await campaignId(page)
      assert.equal((await api(page, `/campaigns/${cid}/light-rules`)).warn_days, 21)
      await page.locator('[data-test=rules-defaults]').click()
      const put = page.waitForResponse((r) => r.request().method() === 'PUT' && r.url().includes('/light-rules'))
      await page.locator('[data-test=rules-save]').click()
      assert.equal((await put).status(), 200)
      assert.deepEqual(await api(page, `/campaigns/${cid}/light-rules`), { yellow_ratio: 0.9, red_ratio: 0.7, warn_days: 14, missing_report_red: true })
      await assertClean(assert, seen)
    } finally {
      await context.close()
    }
  })
})
