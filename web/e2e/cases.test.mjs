// Casework (督办) as its users go through it against a running `gongjian
// demo` (GONGJIAN_URL): 区长 writes an instruction on an item he leads,
// assigned in parallel to 区住建局 and 区商务局; each unit answers its task;
// 督查室 verifies and closes it; 区长 is not satisfied and reopens it with a
// rating of 2; the timeline shows every step. Then the inbox's filters and
// export, the stocktake agenda of 2022-09, the stats, and the case page in English.
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { BASE, apiGet as api, assertClean, launch, open, shot, signInAt } from './helpers.mjs'

let browser
before(async () => { browser = await launch() })
after(async () => { await browser?.close() })

/** Fills an Element Plus input (el-input, el-date-picker) found by its data-test. */
async function fill(page, scope, dataTest, value) {
  const el = page.locator(`${scope} [data-test=${dataTest}]`).first()
  const tag = await el.evaluate((n) => n.tagName)
  const input = ['INPUT', 'TEXTAREA'].includes(tag) ? el : el.locator('input, textarea').first()
  await input.fill(value)
  if ((await input.evaluate((n) => n.tagName)) === 'INPUT') await input.press('Enter').catch(() => {})
}

async function settled(page) {
  await page.waitForFunction(() => document.getAnimations()
    .every((a) => a.playState !== 'running' || a.effect?.getComputedTiming().iterations === Infinity))
}

// A 1×1 PNG.
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=='

const inDays = (n) => {
  const d = new Date(Date.now() + n * 86400000)
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`
}

/** Answers the unit's task on the case page through the dialog. */
async function answer(page, unitId, text) {
  await page.locator(`[data-test=task-answer-btn-${unitId}]`).click()
  const dlg = page.locator('.el-dialog[data-test=case-action-dialog]')
  await dlg.waitFor()
  await dlg.locator('textarea').fill(text)
  await dlg.locator('[data-test=action-save]').click()
  await page.locator(`[data-test=task-state-${unitId}]`).getByText('已答复').waitFor()
}

describe('casework', () => {
  let caseId = 0
  let caseCode = ''
  const title = `关于加快片区征迁收尾的批示（e2e ${Date.now() % 100000}）`

  test('区长 writes an instruction to two units in parallel; both answer; 督查室 closes it; 区长 reopens it with rating 2; the timeline shows every step', async () => {
    const lead = await open(browser)
    try {
      const { page, seen } = lead
      await signInAt(page, 'quzhang', '/')
      const me = await api(page, '/auth/me')
      const items = await api(page, `/items?leader_id=${me.user.person_id}&page_size=5&sort=code`)
      assert.ok(items.total > 0, '区长 leads items')
      const item = items.items[0]
      const units = (await api(page, '/units')).items
      const zhujian = units.find((u) => u.name === '区住建局')
      const shangwu = units.find((u) => u.name === '区商务局')
      assert.ok(zhujian && shangwu, 'the demo has 区住建局 and 区商务局')

      await page.goto(`${BASE}/items/${item.id}`)
      await page.locator('[data-test=item-cases]').waitFor()
      await page.locator('[data-test=item-case-create]').click()
      const dlg = page.locator('.el-dialog[data-test=case-dialog]')
      await dlg.waitFor()
      await settled(page)
      // A leader's case on his item is an instruction (批示), with the item filled in.
      assert.ok(await dlg.locator('[data-test=case-type-instruction]').evaluate((n) => n.checked || n.classList.contains('is-active') || !!n.querySelector('input:checked') || !!n.closest('.is-active')))
      await dlg.locator('[data-test=case-item]').getByText(item.name).waitFor()
      // Saving without a title or deadline shows the API's field errors.
      await dlg.locator('[data-test=case-save]').click()
      await dlg.locator('.el-form-item__error').first().waitFor()
      await fill(page, '.el-dialog', 'case-title', title)
      await fill(page, '.el-dialog', 'case-description', '请区住建局、区商务局按职责并联办理，月底前答复。')
      await fill(page, '.el-dialog', 'case-deadline', inDays(30))
      await dlg.locator('.el-dialog__title').click()
      for (const [i, u] of [zhujian, shangwu].entries()) {
        await dlg.locator('[data-test=assignee-add]').click()
        await dlg.locator(`[data-test=assignee-unit-${i}]`).click()
        await page.keyboard.type(u.name)
        const opt = page.locator(`.el-select-dropdown__item[data-test=unit-opt-${u.id}]:visible`)
        await opt.waitFor()
        await settled(page)
        await opt.click()
        await dlg.locator(`[data-test=assignee-unit-${i}]`).getByText(u.name).waitFor()
      }
      await fill(page, '.el-dialog', 'assignee-due-0', inDays(20))
      await dlg.locator('.el-dialog__title').click()
      await dlg.locator('[data-test=case-save]').click()
      await page.waitForURL(/\/cases\/\d+$/)
      caseId = Number(new URL(page.url()).pathname.split('/').pop())
      await page.locator('[data-test=case-title]').getByText(title).waitFor()
      await page.locator(`[data-test=task-unit-${zhujian.id}]`).waitFor()
      await page.locator(`[data-test=task-unit-${shangwu.id}]`).waitFor()
      const c = await api(page, `/cases/${caseId}`)
      caseCode = c.code
      assert.equal(c.type, 'instruction')
      assert.equal(c.item_id, item.id)
      assert.deepEqual(c.tasks.map((x) => x.unit_name).sort(), ['区住建局', '区商务局'].sort())
      assert.equal(c.tasks.find((x) => x.unit_id === zhujian.id).due, inDays(20))
      assert.equal(c.tasks.find((x) => x.unit_id === shangwu.id).due, inDays(30))
      await assertClean(assert, seen, { allowHttp: true })
    } finally {
      await lead.context.close()
    }

    // Each unit answers its own task.
    for (const [user, unitName, text] of [['zhujianju', '区住建局', '已会同街道完成剩余 12 户签约，腾空交地。'], ['zhuanyuan', '区商务局', '已对接片区招商企业 3 家，落实安置配套。']]) {
      const s = await open(browser)
      try {
        const { page, seen } = s
        await signInAt(page, user, `/cases/${caseId}`)
        const c = await api(page, `/cases/${caseId}`)
        const task = c.tasks.find((x) => x.unit_name === unitName)
        if (user === 'zhujianju') {
          await page.locator(`[data-test=task-accept-${task.unit_id}]`).click()
          await page.locator(`[data-test=task-state-${task.unit_id}]`).getByText('已签收').waitFor()
          // A text file is refused, with the reason shown; a photo is attached and can be downloaded.
          const input = page.locator('[data-test=attachment-input]')
          await input.setInputFiles({ name: '说明.txt', mimeType: 'text/plain', buffer: Buffer.from('plain text') })
          await page.locator('[data-test=attachment-error]').waitFor()
          await input.setInputFiles({ name: '现场照片.png', mimeType: 'image/png', buffer: Buffer.from(PNG, 'base64') })
          const link = page.locator('[data-test=case-attachments] a').filter({ hasText: '现场照片.png' })
          await link.waitFor()
          const dl = await page.request.get(`${BASE}${await link.getAttribute('href')}`)
          assert.equal(dl.status(), 200)
          assert.equal(dl.headers()['content-type'], 'image/png')
          // The unit asks for more time; the original deadline stays visible once approved.
          await page.locator('[data-test=case-extend]').click()
          const dlg = page.locator('.el-dialog[data-test=case-action-dialog]')
          await dlg.waitFor()
          await fill(page, '.el-dialog', 'action-date', inDays(45))
          await dlg.locator('.el-dialog__title').click()
          await dlg.locator('textarea').fill('剩余住户需法院裁决，申请延期 15 天。')
          await dlg.locator('[data-test=action-save]').click()
          await page.locator('[data-test=extension-requested]').waitFor()
        }
        // Another unit's task has no buttons for this user.
        const other = c.tasks.find((x) => x.unit_name !== unitName)
        assert.equal(await page.locator(`[data-test=task-answer-btn-${other.unit_id}]`).count(), 0)
        await answer(page, task.unit_id, text)
        // 区住建局's refused upload is the one failed request.
        await assertClean(assert, seen, { allowHttp: user === 'zhujianju' })
      } finally {
        await s.context.close()
      }
    }

    // 督查室 verifies and closes (销号).
    const sup = await open(browser)
    try {
      const { page, seen } = sup
      await signInAt(page, 'duchashi', `/cases/${caseId}`)
      await page.locator('[data-test=case-state-resolved]').first().waitFor()
      await page.locator('[data-test=extension-approve]').click()
      await page.locator('[data-test=extension-approved]').waitFor()
      await page.locator('[data-test=original-deadline]').waitFor()
      const c = await api(page, `/cases/${caseId}`)
      assert.equal(c.deadline, inDays(45))
      assert.equal(c.original_deadline, inDays(30))
      await page.locator('[data-test=case-close]').click()
      const dlg = page.locator('.el-dialog[data-test=case-action-dialog]')
      await dlg.waitFor()
      await dlg.locator('textarea').fill('经现场核查，两单位均已办结。')
      await dlg.locator('[data-test=action-save]').click()
      await page.locator('[data-test=case-state-closed]').first().waitFor()
      assert.equal(await page.locator('[data-test=case-close]').count(), 0)
      await assertClean(assert, seen)
    } finally {
      await sup.context.close()
    }

    // 区长 is not satisfied: reopens with a rating of 2.
    const back = await open(browser)
    try {
      const { page, seen } = back
      await signInAt(page, 'quzhang', `/cases/${caseId}`)
      await page.locator('[data-test=case-state-closed]').first().waitFor()
      await page.locator('[data-test=case-reopen]').click()
      const dlg = page.locator('.el-dialog[data-test=case-action-dialog]')
      await dlg.waitFor()
      await settled(page)
      // Without a rating the API refuses and says why.
      await dlg.locator('textarea').fill('安置房源仍未落实到户，群众反映强烈。')
      await dlg.locator('[data-test=action-save]').click()
      await dlg.locator('.el-form-item__error').first().waitFor()
      await dlg.locator('.el-rate__item').nth(1).click()
      await dlg.locator('[data-test=action-save]').click()
      await page.locator('[data-test=case-state-in_progress]').first().waitFor()
      const c = await api(page, `/cases/${caseId}`)
      assert.equal(c.state, 'in_progress')
      assert.equal(c.rating, 2)
      assert.equal(c.reopen_count, 1)
      assert.ok(c.tasks.every((x) => x.state === 'pending'))
      await page.locator('[data-test=case-tasks]').getByText('上次答复：已会同街道完成剩余 12 户签约').waitFor()
      assert.equal(await page.locator('[data-test=case-reopen]').count(), 0)
      // The timeline: raised, accepted, two answers, resolved, closed, reopened — who, when, why.
      const tl = page.locator('[data-test=case-timeline]')
      for (const a of ['create', 'accept', 'answer', 'resolve', 'close', 'reopen']) await tl.locator(`[data-test=event-${a}]`).first().waitFor()
      assert.equal(await tl.locator('[data-test=event-answer]').count(), 2)
      const reopen = tl.locator('[data-test=event-reopen]')
      assert.match(await reopen.innerText(), /区长[\s\S]*已销号 → 办理中[\s\S]*安置房源仍未落实到户/)
      assert.match(await tl.locator('[data-test=event-close]').innerText(), /经现场核查/)
      assert.match(await tl.innerText(), /已会同街道完成剩余 12 户签约/)
      await page.locator('[data-test=case-timeline]').scrollIntoViewIfNeeded()
      await shot(page, 'cases-case-page')
      await page.evaluate(() => window.scrollTo(0, 0))
      // The cockpit's 超期督办 card.
      await page.goto(`${BASE}/`)
      await page.locator('[data-test=cockpit-cases]').scrollIntoViewIfNeeded()
      await page.locator('[data-test=cases-escalated]').waitFor()
      await shot(page, 'cases-cockpit-card')
      await assertClean(assert, seen, { allowHttp: true })
    } finally {
      await back.context.close()
    }
  })

  test('the inbox filters and exports; the stocktake agenda of 2022-09 renders; the stats table and chart', async () => {
    const s = await open(browser)
    try {
      const { page, seen } = s
      await signInAt(page, 'duchashi', '/cases')
      await page.locator('[data-test=case-table] .el-table__body tr').first().waitFor()
      const all = await api(page, '/cases?page_size=1')
      assert.ok(all.total > 400, `the demo has its cases (${all.total})`)
      // Free text finds the case; the reopened filter keeps it.
      await fill(page, '', 'filter-q', caseCode)
      await page.waitForURL(/q=DB-/)
      await page.locator('[data-test=case-table]').getByText(title).waitFor()
      await page.locator('[data-test=filter-reopened]').click()
      await page.waitForURL(/reopened=1/)
      await page.locator('[data-test=case-summary]').getByText('共 1 件').waitFor()
      assert.match(await page.locator('[data-test=case-progress]').first().innerText(), /0\/2 已答复/)
      // Export with the same filters.
      const href = await page.locator('[data-test=case-export]').getAttribute('href')
      assert.match(href, /reopened=true/)
      assert.match(href, /q=DB-/)
      const x = await page.request.get(`${BASE}${href}`)
      assert.equal(x.status(), 200)
      assert.match(x.headers()['content-type'], /spreadsheetml/)
      // Overdue cases of the demo, with their badge.
      await page.goto(`${BASE}/cases?overdue=1`)
      await page.locator('[data-test=overdue-badge]').first().waitFor()
      const overdue = await api(page, '/cases?overdue=true&page_size=1')
      await page.locator('[data-test=case-summary]').getByText(`共 ${overdue.total} 件`).waitFor()
      await page.locator('[data-test=case-table] .el-loading-mask').waitFor({ state: 'hidden' })
      await shot(page, 'cases-inbox')

      await page.goto(`${BASE}/stocktake?period=2022-09`)
      await page.locator('[data-test=stocktake-asof]').getByText('2022年9月30日').waitFor()
      const cid = (await api(page, '/campaigns')).items.sort((a, b) => b.year - a.year)[0].id
      const agenda = await api(page, `/stocktake?campaign_id=${cid}&period=2022-09`)
      assert.ok(agenda.red_items.length > 0, 'red items in September 2022')
      await page.locator('[data-test=red-count]').getByText(String(agenda.red_items.length), { exact: true }).waitFor()
      await page.locator('[data-test=overdue-count]').getByText(String(agenda.overdue_cases.length), { exact: true }).waitFor()
      // A decision row without a deadline is refused, naming the row.
      await page.locator('[data-test=decision-add]').click()
      await fill(page, '', 'decision-title-0', '加快幸福新城片区安置房建设')
      await page.locator('[data-test=decision-record]').click()
      await page.locator('[data-test=decision-error-0]').waitFor()
      await shot(page, 'cases-stocktake')

      await page.goto(`${BASE}/cases/stats`)
      await page.locator('[data-test=stats-table] .el-table__body tr').first().waitFor()
      await page.locator('.echart canvas').first().waitFor()
      const stats = (await api(page, '/case-stats')).items
      const sw = stats.find((u) => u.unit_name === '区商务局')
      assert.ok(sw && sw.reopened >= 1, '区商务局 has the reopened case')
      await shot(page, 'cases-stats')
      await assertClean(assert, seen, { allowHttp: true })
    } finally {
      await s.context.close()
    }
  })

  test('the case page in English', async () => {
    const s = await open(browser, { lang: 'en' })
    try {
      const { page, seen } = s
      await signInAt(page, 'duchashi', `/cases/${caseId}`)
      await page.locator('[data-test=case-timeline]').getByText('Reopened').first().waitFor()
      await page.locator('[data-test=case-tasks]').getByText('Pending').first().waitFor()
      await page.locator('[data-test=case-page] > .el-loading-mask').waitFor({ state: 'hidden' })
      await shot(page, 'cases-case-page-en')
      await page.goto(`${BASE}/cases`)
      await page.locator('[data-test=case-table] .el-table__body tr').first().waitFor()
      await page.locator('[data-test=case-table] .el-loading-mask').waitFor({ state: 'hidden' })
      await shot(page, 'cases-inbox-en')
      await assertClean(assert, seen)
    } finally {
      await s.context.close()
    }
  })
})
